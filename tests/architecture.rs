//! The crate's module structure, checked from its source: no dependency cycles between files (in the
//! library and in the emulator), top modules that use each other only in the directions [`LAYERS`] allows
//! (the table docs/architecture.md draws), and a crate root that exposes curated items, not its plumbing.
//!
//! Every path is resolved to the file that defines the item it names, following `pub use` re-exports to
//! the end, so that a cycle cannot hide behind a `mod.rs` that re-exports both of its ends.
#![cfg(not(target_arch = "wasm32"))]

use proc_macro2::{Spacing, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Item, Meta, Visibility};

/// The arrows allowed between the library's top modules: each module and the modules it may use.
/// A pair missing here is a wrong-way arrow; a new top module has to be added here (and to the doc).
const LAYERS: &[(&str, &[&str])] = &[
    // Reading and writing JSON without serde's derived code: under everything, knowing none of it.
    ("json", &[]),
    ("model", &["json"]),
    ("policy", &["model", "json"]),
    // JSON Patch is a leaf under the token rules: the rules may patch, patching does not judge.
    ("patch", &["model", "json"]),
    ("rules", &["model", "policy", "patch", "json"]),
    ("api", &["model", "json"]),
    (
        "wasm",
        &["model", "policy", "patch", "rules", "api", "json"],
    ),
];

/// Top modules public as namespaces rather than re-exported at the root: their names (`parse`, `write`, `At`,
/// `Object`) say what they are only beside the module's name, as `serde_json::from_str` does.
const PUBLIC_NAMESPACES: &[&str] = &["json"];

// ---------------------------------------------------------------------------------------------------------
// The tests

/// Files that use each other can only be read, tested and moved together; a cycle usually means that an
/// item lives in the wrong file.
#[test]
fn library_files_have_no_cycles() {
    let library = Crate::load(&workspace().join("src"), "src");
    let graph = library.dependency_graph();
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "library: {}",
        graph.describe_cycles(&cycles)
    );
}

/// The same rule for the emulator, whose `tokengate::` paths name another crate and are not followed.
#[test]
fn emulator_files_have_no_cycles() {
    let emulator = Crate::load(&workspace().join("emulator/src"), "emulator/src");
    let graph = emulator.dependency_graph();
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "emulator: {}",
        graph.describe_cycles(&cycles)
    );
}

/// The layers stay separable (the wire types without the engine, the engine without the token rules, the
/// core without the binding) only while every arrow between them points one way.
#[test]
fn top_modules_depend_one_way() {
    let library = Crate::load(&workspace().join("src"), "src");
    let problems = layer_violations(&library, &library.dependency_graph());
    assert!(
        problems.is_empty(),
        "{} arrow(s) between top modules that LAYERS does not allow:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Users see the curated items re-exported at the root; the modules are free to move things around. Only
/// the wasm-bindgen layer stays a public module, hidden, so that its own tests can drive it from Rust.
#[test]
fn lib_exposes_no_plumbing_modules() {
    let lib = workspace().join("src/lib.rs");
    let ast = parse(&lib);
    let problems: Vec<String> = ast
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Mod(module) if matches!(module.vis, Visibility::Public(_)) => Some(module),
            _ => None,
        })
        .filter(|module| !is_hidden_wasm_module(module))
        .filter(|module| !PUBLIC_NAMESPACES.contains(&module.ident.to_string().as_str()))
        .map(|module| {
            format!(
                "src/lib.rs:{line}: `pub mod {name}` exposes a module; declare it `mod {name};` and re-export its \
                 public items at the root",
                line = line_of(module.mod_token.span()),
                name = module.ident
            )
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A glob re-export publishes whatever a module happens to contain, so the public surface changes
/// without anyone writing it down.
#[test]
fn no_glob_reexports() {
    let library = Crate::load(&workspace().join("src"), "src");
    let problems: Vec<String> = library
        .modules
        .iter()
        .flat_map(|module| {
            let file = &library.files[module.file].name;
            module
                .imports
                .iter()
                .filter(|import| import.public && import.name.is_none())
                .map(move |import| {
                    format!(
                        "{file}:{}: `pub use {}::*`",
                        import.line,
                        import.path.join("::")
                    )
                })
        })
        .collect();
    assert!(
        problems.is_empty(),
        "glob re-exports; name the re-exported items instead:\n{}",
        problems.join("\n")
    );
}

/// The checker must be able to fail: `a/x.rs` and `b.rs` use each other, and `b.rs` reaches `a/x.rs` only
/// through the re-export in `a/mod.rs`, which itself is in no cycle.
#[test]
fn checker_finds_a_cycle_behind_a_reexport() {
    let fake = FakeCrate::new(&[
        ("lib.rs", "mod a;\nmod b;\n"),
        ("a/mod.rs", "mod x;\npub use x::Other;\n"),
        (
            "a/x.rs",
            "use crate::b::Thing;\npub struct Other;\npub fn take(_: Thing) {}\n",
        ),
        (
            "b.rs",
            "use crate::a::Other;\npub struct Thing;\npub fn make() -> Other {\n    Other\n}\n\
             #[cfg(test)]\nmod tests {\n    use crate::a::*;\n}\n",
        ),
    ]);
    let krate = Crate::load(&fake.src(), "src");
    let graph = krate.dependency_graph();
    let cycles = graph.cycles();
    let report = graph.describe_cycles(&cycles);

    let named: Vec<Vec<&str>> = cycles
        .iter()
        .map(|cycle| {
            cycle
                .iter()
                .map(|&file| graph.names[file].as_str())
                .collect()
        })
        .collect();
    assert_eq!(named, [["src/a/x.rs", "src/b.rs"]], "{report}");
    // Neither `mod x;` and `pub use x::Other` in a/mod.rs nor the test module's glob in b.rs is an arrow.
    let arrows: Vec<(&str, &str)> = graph
        .arrows
        .keys()
        .map(|&(from, to)| (graph.names[from].as_str(), graph.names[to].as_str()))
        .collect();
    assert_eq!(arrows.len(), 2, "{arrows:?}");
    assert!(
        report.contains("`crate::a::Other` (src/b.rs:1)"),
        "{report}"
    );
    assert!(
        report.contains("`crate::b::Thing` (src/a/x.rs:1)"),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Reading a crate: its modules, what each defines and imports, and every path its code uses

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The modules of the crates rooted at `src/lib.rs` and `src/main.rs`, and the places that use paths.
#[derive(Default)]
struct Crate {
    files: Vec<SourceFile>,
    modules: Vec<Module>,
    sites: Vec<Site>,
}

struct SourceFile {
    /// As messages show it, e.g. `src/policy/validate.rs`.
    name: String,
    /// The module the file is (an inline `mod x { .. }` inside it is a module of the same file).
    module: usize,
}

struct Module {
    /// Below the crate root: `["policy", "validate"]`; empty for the root.
    path: Vec<String>,
    file: usize,
    root: usize,
    parent: Option<usize>,
    children: BTreeMap<String, usize>,
    /// Names of the structs, enums, fns, types, consts, statics, traits and macros defined here.
    items: BTreeSet<String>,
    imports: Vec<Import>,
}

/// One leaf of a module-level `use` tree.
struct Import {
    /// The name it brings into scope; `None` for a glob.
    name: Option<String>,
    path: Vec<String>,
    /// `pub`, `pub(crate)`, ...: a re-export, which is not itself a use.
    public: bool,
    line: usize,
}

/// A place where a module uses a path: a private `use`, or a path in code.
struct Site {
    module: usize,
    path: Vec<String>,
    line: usize,
    kind: SiteKind,
}

#[derive(Clone, Copy, PartialEq)]
enum SiteKind {
    Use,
    Glob,
    Code,
}

impl Crate {
    /// Reads every file of the crate(s) in `src`, following `mod` declarations from the roots, and checks
    /// that no other `.rs` file is there: each file is either read or declared under `#[cfg(test)] mod`.
    fn load(src: &Path, shown_as: &str) -> Crate {
        let mut loader = Loader {
            src,
            shown_as,
            krate: Crate::default(),
            read: BTreeSet::new(),
            tests: Vec::new(),
        };
        for root in ["lib.rs", "main.rs"] {
            let file = src.join(root);
            if file.exists() {
                loader.load_file(&file, None, Vec::new());
            }
        }
        loader.check_every_file_was_read();
        loader.krate
    }

    fn new_module(&mut self, path: Vec<String>, file: usize, parent: Option<usize>) -> usize {
        let id = self.modules.len();
        let root = parent.map_or(id, |parent| self.modules[parent].root);
        let module = Module {
            path,
            file,
            root,
            parent,
            children: BTreeMap::new(),
            items: BTreeSet::new(),
            imports: Vec::new(),
        };
        self.modules.push(module);
        id
    }

    /// The library's top module a file belongs to; `None` for the crate root.
    fn top_module(&self, file: usize) -> Option<&str> {
        self.modules[self.files[file].module]
            .path
            .first()
            .map(String::as_str)
    }
}

struct Loader<'a> {
    src: &'a Path,
    shown_as: &'a str,
    krate: Crate,
    read: BTreeSet<PathBuf>,
    /// Files and directories of `#[cfg(test)] mod x;` declarations: test code, deliberately not read.
    tests: Vec<PathBuf>,
}

impl Loader<'_> {
    fn load_file(&mut self, path: &Path, parent: Option<usize>, module_path: Vec<String>) -> usize {
        let ast = parse(path);
        let file = self.krate.files.len();
        let module = self.krate.new_module(module_path, file, parent);
        let name = format!(
            "{}/{}",
            self.shown_as,
            path.strip_prefix(self.src).unwrap().display()
        );
        self.krate.files.push(SourceFile { name, module });
        self.read.insert(path.to_path_buf());
        self.load_items(module, &ast.items, &children_dir(path));
        module
    }

    /// `dir` is where the files of this module's `mod x;` children are.
    fn load_items(&mut self, module: usize, items: &[Item], dir: &Path) {
        for item in items {
            if is_test_only(item_attrs(item)) {
                if let Item::Mod(test_module) = item {
                    self.tests
                        .push(dir.join(format!("{}.rs", test_module.ident)));
                    self.tests.push(dir.join(test_module.ident.to_string()));
                }
                continue;
            }
            match item {
                Item::Mod(child) => self.load_child(module, child, dir),
                Item::Use(import) => self.load_use(module, import),
                _ => {
                    if let Some(name) = defined_name(item) {
                        self.krate.modules[module].items.insert(name);
                    }
                    let mut collector = PathCollector {
                        module,
                        sites: &mut self.krate.sites,
                    };
                    collector.visit_item(item);
                }
            }
        }
    }

    fn load_child(&mut self, module: usize, child: &syn::ItemMod, dir: &Path) {
        let name = child.ident.to_string();
        let mut path = self.krate.modules[module].path.clone();
        path.push(name.clone());
        let id = match &child.content {
            Some((_, items)) => {
                let file = self.krate.modules[module].file;
                let id = self.krate.new_module(path, file, Some(module));
                self.load_items(id, items, &dir.join(&name));
                id
            }
            None => self.load_file(&module_file(dir, &name), Some(module), path),
        };
        self.krate.modules[module].children.insert(name, id);
    }

    /// A `use` both names things in the module (re-exports included) and, unless public, uses them.
    fn load_use(&mut self, module: usize, import: &syn::ItemUse) {
        if import.leading_colon.is_some() {
            return; // `use ::x` names another crate
        }
        let public = !matches!(import.vis, Visibility::Inherited);
        for leaf in use_leaves(&import.tree) {
            if !public {
                self.krate.sites.push(leaf.site(module));
            }
            let UseLeaf { name, path, line } = leaf;
            self.krate.modules[module].imports.push(Import {
                name,
                path,
                public,
                line,
            });
        }
    }

    fn check_every_file_was_read(&self) {
        let mut unread: Vec<String> = rust_files(self.src)
            .into_iter()
            .filter(|file| !self.read.contains(file))
            .filter(|file| !self.tests.iter().any(|test| file.starts_with(test)))
            .map(|file| file.display().to_string())
            .collect();
        unread.sort();
        assert!(
            unread.is_empty(),
            "files in no module of {} (declare them or delete them): {unread:?}",
            self.shown_as
        );
    }
}

fn parse(path: &Path) -> syn::File {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|error| panic!("parsing {}: {error}", path.display()))
}

/// `lib.rs`, `main.rs` and `mod.rs` keep their children beside them; `a.rs` keeps them in `a/`.
fn children_dir(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap();
    let stem = file.file_stem().unwrap();
    if ["lib", "main", "mod"].iter().any(|owner| stem == *owner) {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    }
}

fn module_file(dir: &Path, name: &str) -> PathBuf {
    let flat = dir.join(format!("{name}.rs"));
    let nested = dir.join(name).join("mod.rs");
    if flat.exists() {
        flat
    } else if nested.exists() {
        nested
    } else {
        panic!(
            "module `{name}`: neither {} nor {} exists",
            flat.display(),
            nested.display()
        )
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

/// `#[test]`, `#[cfg(test)]`, `#[cfg(all(test, ..))]`: code that only the crate's own unit tests compile,
/// so its imports (the usual `use super::*`) are not dependencies of the crate.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("test")
            || (attr.path().is_ident("cfg")
                && attr
                    .parse_args::<Meta>()
                    .is_ok_and(|cfg| cfg_requires_test(&cfg)))
    })
}

fn cfg_requires_test(cfg: &Meta) -> bool {
    match cfg {
        Meta::Path(path) => path.is_ident("test"),
        Meta::List(list) if list.path.is_ident("all") => {
            cfg_arguments(list).iter().any(cfg_requires_test)
        }
        Meta::List(list) if list.path.is_ident("any") => {
            let arguments = cfg_arguments(list);
            !arguments.is_empty() && arguments.iter().all(cfg_requires_test)
        }
        _ => false,
    }
}

fn cfg_arguments(list: &syn::MetaList) -> Vec<Meta> {
    list.parse_args_with(Punctuated::<Meta, syn::Token![,]>::parse_terminated)
        .map(|arguments| arguments.into_iter().collect())
        .unwrap_or_default()
}

fn item_attrs(item: &Item) -> &[syn::Attribute] {
    match item {
        Item::Const(item) => &item.attrs,
        Item::Enum(item) => &item.attrs,
        Item::ExternCrate(item) => &item.attrs,
        Item::Fn(item) => &item.attrs,
        Item::ForeignMod(item) => &item.attrs,
        Item::Impl(item) => &item.attrs,
        Item::Macro(item) => &item.attrs,
        Item::Mod(item) => &item.attrs,
        Item::Static(item) => &item.attrs,
        Item::Struct(item) => &item.attrs,
        Item::Trait(item) => &item.attrs,
        Item::TraitAlias(item) => &item.attrs,
        Item::Type(item) => &item.attrs,
        Item::Union(item) => &item.attrs,
        Item::Use(item) => &item.attrs,
        _ => &[],
    }
}

fn defined_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Const(item) => &item.ident,
        Item::Enum(item) => &item.ident,
        Item::Fn(item) => &item.sig.ident,
        Item::Macro(item) => item.ident.as_ref()?,
        Item::Static(item) => &item.ident,
        Item::Struct(item) => &item.ident,
        Item::Trait(item) => &item.ident,
        Item::TraitAlias(item) => &item.ident,
        Item::Type(item) => &item.ident,
        Item::Union(item) => &item.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// Line numbers come from `proc-macro2`'s `span-locations` feature.
fn line_of(span: proc_macro2::Span) -> usize {
    span.start().line
}

/// One leaf of a `use` tree, its path spelled out: `use super::{a::B, c::*}` has `super::a::B` and `super::c::*`.
struct UseLeaf {
    name: Option<String>,
    path: Vec<String>,
    line: usize,
}

impl UseLeaf {
    fn site(&self, module: usize) -> Site {
        let kind = if self.name.is_some() {
            SiteKind::Use
        } else {
            SiteKind::Glob
        };
        Site {
            module,
            path: self.path.clone(),
            line: self.line,
            kind,
        }
    }
}

fn use_leaves(tree: &syn::UseTree) -> Vec<UseLeaf> {
    let mut leaves = Vec::new();
    collect_use_leaves(tree, &mut Vec::new(), &mut leaves);
    leaves
}

fn collect_use_leaves(tree: &syn::UseTree, prefix: &mut Vec<String>, leaves: &mut Vec<UseLeaf>) {
    let line = line_of(tree.span());
    // `use a::{self}` imports `a` itself.
    let leaf = |prefix: &[String], ident: &syn::Ident| {
        if ident == "self" {
            prefix.to_vec()
        } else {
            [prefix, &[ident.to_string()]].concat()
        }
    };
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.to_string());
            collect_use_leaves(&path.tree, prefix, leaves);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let path = leaf(prefix, &name.ident);
            leaves.push(UseLeaf {
                name: path.last().cloned(),
                path,
                line,
            });
        }
        syn::UseTree::Rename(rename) => {
            let path = leaf(prefix, &rename.ident);
            leaves.push(UseLeaf {
                name: Some(rename.rename.to_string()),
                path,
                line,
            });
        }
        syn::UseTree::Glob(_) => leaves.push(UseLeaf {
            name: None,
            path: prefix.clone(),
            line,
        }),
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                collect_use_leaves(tree, prefix, leaves);
            }
        }
    }
}

/// Collects every path in an item's code (types, expressions, patterns, trait bounds, macro arguments) and
/// every `use` inside a function body, skipping test-only items.
struct PathCollector<'a> {
    module: usize,
    sites: &'a mut Vec<Site>,
}

impl PathCollector<'_> {
    fn push(&mut self, path: Vec<String>, line: usize) {
        self.sites.push(Site {
            module: self.module,
            path,
            line,
            kind: SiteKind::Code,
        });
    }

    /// Macro arguments are tokens: read them as expressions when they are (`format!`, `assert_eq!`, ...),
    /// otherwise pick out the `a::b` paths in them.
    fn visit_macro_tokens(&mut self, tokens: &TokenStream) {
        match Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated.parse2(tokens.clone()) {
            Ok(expressions) => expressions
                .iter()
                .for_each(|expression| self.visit_expr(expression)),
            Err(_) => {
                for (path, line) in paths_in_tokens(tokens) {
                    self.push(path, line);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for PathCollector<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if is_test_only(item_attrs(item)) {
            return;
        }
        match item {
            Item::Use(import) if import.leading_colon.is_none() => {
                let module = self.module;
                self.sites.extend(
                    use_leaves(&import.tree)
                        .iter()
                        .map(|leaf| leaf.site(module)),
                );
            }
            Item::Use(_) | Item::Mod(_) => {}
            _ => visit::visit_item(self, item),
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(item) => &item.attrs[..],
            syn::ImplItem::Fn(item) => &item.attrs,
            syn::ImplItem::Type(item) => &item.attrs,
            syn::ImplItem::Macro(item) => &item.attrs,
            _ => &[],
        };
        if !is_test_only(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    /// `#[derive(..)]`, lint names and doc links are not paths into the crate.
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    /// `pub(in crate::a)` names a module for privacy, which is not a use of it.
    fn visit_visibility(&mut self, _: &'ast Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segments = path
                .segments
                .iter()
                .map(|segment| segment.ident.to_string())
                .collect();
            self.push(segments, line_of(path.span()));
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        self.visit_macro_tokens(&mac.tokens);
    }
}

/// The `a::b::c` runs of two or more segments in a token stream, with the line of their first segment.
fn paths_in_tokens(tokens: &TokenStream) -> Vec<(Vec<String>, usize)> {
    let mut paths = Vec::new();
    let mut run = PathRun::default();
    let mut colons = 0;
    for token in tokens.clone() {
        match token {
            TokenTree::Ident(ident) if colons == 2 && !run.segments.is_empty() => {
                run.segments.push(ident.to_string())
            }
            TokenTree::Ident(ident) => {
                run.finish(&mut paths);
                run = PathRun {
                    segments: vec![ident.to_string()],
                    line: line_of(ident.span()),
                };
            }
            // `::` is a joint `:` then an alone one.
            TokenTree::Punct(punct)
                if punct.as_char() == ':'
                    && (colons == 0) == (punct.spacing() == Spacing::Joint) =>
            {
                colons += 1;
                continue;
            }
            TokenTree::Group(group) => {
                run.finish(&mut paths);
                paths.extend(paths_in_tokens(&group.stream()));
            }
            _ => run.finish(&mut paths),
        }
        colons = 0;
    }
    run.finish(&mut paths);
    paths
}

#[derive(Default)]
struct PathRun {
    segments: Vec<String>,
    line: usize,
}

impl PathRun {
    fn finish(&mut self, paths: &mut Vec<(Vec<String>, usize)>) {
        let segments = std::mem::take(&mut self.segments);
        if segments.len() > 1 {
            paths.push((segments, self.line));
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Resolving a path to the file that defines what it names

#[derive(Clone, Copy)]
enum Target {
    Module(usize),
    /// An item defined in this module.
    Item(usize),
}

/// Re-export chains are short; this bounds a chain that loops.
const MAX_RESOLUTION_DEPTH: usize = 32;

impl Crate {
    /// What `path`, written in `module`, names; `None` for other crates, the prelude and local variables.
    fn resolve(&self, module: usize, path: &[String], depth: usize) -> Option<Target> {
        if depth > MAX_RESOLUTION_DEPTH {
            return None;
        }
        let (first, rest) = path.split_first()?;
        let mut target = match first.as_str() {
            "crate" => Target::Module(self.modules[module].root),
            name => self.step(module, name, depth)?,
        };
        for segment in rest {
            // After an item come its variants or associated items, which live in the item's file.
            let Target::Module(current) = target else {
                break;
            };
            target = self.step(current, segment, depth)?;
        }
        Some(target)
    }

    fn step(&self, module: usize, segment: &str, depth: usize) -> Option<Target> {
        match segment {
            "self" => Some(Target::Module(module)),
            "super" => self.modules[module].parent.map(Target::Module),
            name => self.lookup(module, name, depth),
        }
    }

    /// A name in a module's scope: a child module, an item defined there, or an import, which is followed
    /// (from the module that wrote it) until it reaches a definition.
    fn lookup(&self, module: usize, name: &str, depth: usize) -> Option<Target> {
        let scope = &self.modules[module];
        if let Some(&child) = scope.children.get(name) {
            return Some(Target::Module(child));
        }
        if scope.items.contains(name) {
            return Some(Target::Item(module));
        }
        if let Some(import) = scope
            .imports
            .iter()
            .find(|import| import.name.as_deref() == Some(name))
        {
            return self.resolve(module, &import.path, depth + 1);
        }
        scope
            .imports
            .iter()
            .filter(|import| import.name.is_none())
            .find_map(|glob| match self.resolve(module, &glob.path, depth + 1)? {
                Target::Module(globbed) if globbed != module => {
                    self.lookup(globbed, name, depth + 1)
                }
                _ => None,
            })
    }

    fn file_of(&self, target: Target) -> usize {
        match target {
            Target::Module(module) | Target::Item(module) => self.modules[module].file,
        }
    }

    /// File → file arrows, each with the first path that creates it. A file's own items are no arrow, and
    /// neither are `mod child;` declarations and re-exports.
    fn dependency_graph(&self) -> Graph {
        let mut arrows: BTreeMap<(usize, usize), Example> = BTreeMap::new();
        for site in &self.sites {
            let Some(target) = self.resolve(site.module, &site.path, 0) else {
                continue;
            };
            // A lone `self`, or a local variable named like a child module, does not use a module.
            if site.kind == SiteKind::Code
                && site.path.len() == 1
                && matches!(target, Target::Module(_))
            {
                continue;
            }
            let from = self.modules[site.module].file;
            let to = self.file_of(target);
            if from == to {
                continue;
            }
            let mut path = site.path.join("::");
            if site.kind == SiteKind::Glob {
                path.push_str("::*");
            }
            let example = Example {
                path,
                line: site.line,
            };
            arrows
                .entry((from, to))
                .and_modify(|first| first.keep_earlier(&example))
                .or_insert(example);
        }
        Graph {
            names: self.files.iter().map(|file| file.name.clone()).collect(),
            arrows,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The file graph, its cycles, and the layers

/// The path that creates an arrow, and its line in the using file.
#[derive(Clone)]
struct Example {
    path: String,
    line: usize,
}

impl Example {
    fn keep_earlier(&mut self, other: &Example) {
        if other.line < self.line {
            *self = other.clone();
        }
    }
}

struct Graph {
    names: Vec<String>,
    arrows: BTreeMap<(usize, usize), Example>,
}

impl Graph {
    /// Strongly connected components of more than one file: each one is a cycle, its files by name.
    fn cycles(&self) -> Vec<Vec<usize>> {
        let mut successors = vec![Vec::new(); self.names.len()];
        for &(from, to) in self.arrows.keys() {
            successors[from].push(to);
        }
        let mut cycles: Vec<Vec<usize>> = Tarjan::components(&successors)
            .into_iter()
            .filter(|component| component.len() > 1)
            .map(|mut component| {
                component.sort_by_key(|&file| &self.names[file]);
                component
            })
            .collect();
        cycles.sort_by_key(|cycle| self.names[cycle[0]].clone());
        cycles
    }

    /// Each cycle's files, then every arrow between them with the path that creates it: what to move.
    fn describe_cycles(&self, cycles: &[Vec<usize>]) -> String {
        let mut out = format!(
            "{} cycle(s) between files; each needs one of its arrows gone:\n",
            cycles.len()
        );
        for (number, cycle) in cycles.iter().enumerate() {
            let files: Vec<&str> = cycle
                .iter()
                .map(|&file| self.names[file].as_str())
                .collect();
            let separator = if files.len() == 2 { " ↔ " } else { ", " };
            writeln!(out, "\ncycle {}: {}", number + 1, files.join(separator)).unwrap();
            for (&(from, to), example) in &self.arrows {
                if cycle.contains(&from) && cycle.contains(&to) {
                    writeln!(out, "  {}", self.describe_arrow(from, to, example)).unwrap();
                }
            }
        }
        out
    }

    fn describe_arrow(&self, from: usize, to: usize, example: &Example) -> String {
        let (from, to) = (&self.names[from], &self.names[to]);
        format!(
            "{from} → {to}: `{}` ({from}:{})",
            example.path, example.line
        )
    }
}

/// Tarjan's strongly connected components.
struct Tarjan<'a> {
    successors: &'a [Vec<usize>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    components: Vec<Vec<usize>>,
}

impl<'a> Tarjan<'a> {
    fn components(successors: &'a [Vec<usize>]) -> Vec<Vec<usize>> {
        let count = successors.len();
        let mut tarjan = Tarjan {
            successors,
            index: vec![None; count],
            low: vec![0; count],
            on_stack: vec![false; count],
            stack: Vec::new(),
            next: 0,
            components: Vec::new(),
        };
        for node in 0..count {
            if tarjan.index[node].is_none() {
                tarjan.visit(node);
            }
        }
        tarjan.components
    }

    fn visit(&mut self, node: usize) {
        self.index[node] = Some(self.next);
        self.low[node] = self.next;
        self.next += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        for &successor in self.successors[node].iter() {
            match self.index[successor] {
                None => {
                    self.visit(successor);
                    self.low[node] = self.low[node].min(self.low[successor]);
                }
                Some(index) if self.on_stack[successor] => {
                    self.low[node] = self.low[node].min(index)
                }
                Some(_) => {}
            }
        }
        if Some(self.low[node]) == self.index[node] {
            let mut component = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack[member] = false;
                component.push(member);
                if member == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

fn allowed(from: &str, to: &str) -> bool {
    LAYERS
        .iter()
        .any(|(module, uses)| *module == from && uses.contains(&to))
}

/// Arrows between different top modules that LAYERS does not list, and top modules it does not know.
/// The crate root only declares modules and re-exports, so any arrow from or to it is wrong too.
fn layer_violations(krate: &Crate, graph: &Graph) -> Vec<String> {
    let tops: BTreeSet<&str> = (0..krate.files.len())
        .filter_map(|file| krate.top_module(file))
        .collect();
    let mut problems: Vec<String> = tops
        .into_iter()
        .filter(|top| !LAYERS.iter().any(|(module, _)| module == top))
        .map(|top| {
            format!("top module `{top}` is not in LAYERS: add it there and to docs/architecture.md")
        })
        .collect();
    for (&(from, to), example) in &graph.arrows {
        let (from_top, to_top) = (krate.top_module(from), krate.top_module(to));
        if from_top == to_top || matches!((from_top, to_top), (Some(a), Some(b)) if allowed(a, b)) {
            continue;
        }
        let label = |top: Option<&str>| top.unwrap_or("the crate root").to_string();
        problems.push(format!(
            "{} → {} is not allowed: {}",
            label(from_top),
            label(to_top),
            graph.describe_arrow(from, to, example)
        ));
    }
    problems
}

/// `#[cfg(target_arch = "wasm32")] #[doc(hidden)] pub mod wasm`: the one public module lib.rs may keep.
fn is_hidden_wasm_module(module: &syn::ItemMod) -> bool {
    let hidden = module.attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && attr
                .parse_args::<syn::Path>()
                .is_ok_and(|arg| arg.is_ident("hidden"))
    });
    let wasm_only = module.attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr.meta.require_list().is_ok_and(|list| {
                list.tokens
                    .to_string()
                    .split_whitespace()
                    .collect::<String>()
                    == r#"target_arch="wasm32""#
            })
    });
    module.ident == "wasm" && hidden && wasm_only
}

// ---------------------------------------------------------------------------------------------------------
// A throwaway crate on disk for the self-test

struct FakeCrate {
    dir: PathBuf,
}

impl FakeCrate {
    fn new(files: &[(&str, &str)]) -> FakeCrate {
        let unique = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "tokengate-architecture-{}-{unique}",
            std::process::id()
        ));
        for (path, text) in files {
            let path = dir.join("src").join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        FakeCrate { dir }
    }

    fn src(&self) -> PathBuf {
        self.dir.join("src")
    }
}

impl Drop for FakeCrate {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}
