//! The check path must not allocate: counted with a global allocator that tallies this thread's allocations.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use tokengate::{BaseRole, CompiledPolicy, PolicySet, PolicySource, Resource};
use tokengate::{RoleAttributes, Statement};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|count| count.set(count.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn checks_do_not_allocate() {
    let mut attrs = RoleAttributes::new();
    attrs.insert("projects".into(), vec!["web".into(), "api".into()]);
    let custom: Vec<Statement> = serde_json::from_value(serde_json::json!([
        {"effect": "allow", "resources": ["proj/${roleAttribute/projects}:env/*;qa_*,beta:flag/*"], "actions": ["update*"]},
        {"effect": "deny", "resources": ["proj/*:env/production:flag/*"], "notActions": ["updateOn"]},
        {"effect": "allow", "notResources": ["proj/secret-*"], "actions": ["view*"]},
    ]))
    .unwrap();
    let set = PolicySet::new(vec![
        CompiledPolicy::compile(PolicySource::inline(), &custom, &attrs).unwrap(),
        CompiledPolicy::compile(
            PolicySource::member_cap(BaseRole::Writer, "m1"),
            &BaseRole::Writer.member_policy("m1"),
            &attrs,
        )
        .unwrap(),
    ]);
    let resources: Vec<Resource> = [
        "proj/web:env/test;qa_1,beta:flag/f",
        "proj/web:env/production:flag/f",
        "proj/secret-x",
        "member/m1:token/t",
        "service-token/s",
        "acct",
    ]
    .iter()
    .map(|r| Resource::parse(r).unwrap())
    .collect();
    let mut allowed = 0;
    let count = allocations_during(|| {
        for resource in &resources {
            for action in [
                "updateName",
                "updateOn",
                "viewProject",
                "deleteAccessToken",
                "x",
            ] {
                allowed += usize::from(set.is_allowed(action, resource));
                for policy in set.policies() {
                    std::hint::black_box(policy.outcome(action, resource));
                }
            }
        }
    });
    assert_eq!(count, 0, "checks allocated {count} times");
    assert!(
        allowed > 0 && allowed < 30,
        "the checks exercised both answers ({allowed})"
    );
}
