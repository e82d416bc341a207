//! `--data <dir>`: the account in SQLite (WAL), every mutation committed before its response is sent,
//! and an exclusive lock file so that two emulators never share one directory.

use crate::account::{Account, TokenMeta};
use crate::secrets::SecretHash;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use tokengate::{CustomRole, Member, Team, Token};

/// Why the data directory could not be used.
#[derive(Debug)]
pub struct PersistError(pub String);

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PersistError {}

impl From<rusqlite::Error> for PersistError {
    fn from(e: rusqlite::Error) -> Self {
        PersistError(format!("database error: {e}"))
    }
}

impl From<serde_json::Error> for PersistError {
    fn from(e: serde_json::Error) -> Self {
        PersistError(format!("stored data is not valid: {e}"))
    }
}

/// Holds the directory's lock file locked for as long as it lives.
pub struct DataLock {
    _file: File,
}

/// Locks `dir` for this process, or explains who holds it.
pub fn lock_dir(dir: &Path) -> Result<DataLock, PersistError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        PersistError(format!(
            "cannot create data directory {}: {e}",
            dir.display()
        ))
    })?;
    let path = dir.join("tokengate-emulator.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| PersistError(format!("cannot open lock file {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(DataLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(PersistError(format!(
            "data directory {} is in use by another tokengate-emulator (lock file {} is held); stop it or use another --data directory",
            dir.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(PersistError(format!("cannot lock {}: {e}", path.display())))
        }
    }
}

/// The account's database.
pub struct Db {
    conn: Connection,
    path: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS roles (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS teams (position INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    creator TEXT,
    version INTEGER NOT NULL,
    last_used INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS grace_secrets (hash BLOB PRIMARY KEY, token_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
";

/// A token row as written.
pub struct TokenRow<'a> {
    pub token: &'a Token,
    pub secret_hash: &'a SecretHash,
    pub creator: Option<&'a Member>,
    pub version: u64,
    pub last_used: i64,
}

impl Db {
    /// Opens (creating if needed) the database in `dir`. Call [`lock_dir`] first.
    pub fn open(dir: &Path) -> Result<Db, PersistError> {
        let path = dir.join("tokengate-emulator.sqlite3");
        let conn = Connection::open(&path)?;
        // WAL: readers never block the writer; NORMAL: a commit survives a crash of this process.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Db { conn, path })
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved account, or `None` for a new database.
    pub fn load(&self) -> Result<Option<Account>, PersistError> {
        let meta = |key: &str| -> Result<Option<String>, PersistError> {
            Ok(self
                .conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()?)
        };
        let (Some(account_id), Some(owner_id)) = (meta("account_id")?, meta("owner_id")?) else {
            return Ok(None);
        };
        let mut members = Vec::new();
        let mut stmt = self.conn.prepare("SELECT body FROM members")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            members.push(serde_json::from_str::<Member>(&body?)?);
        }
        let mut roles = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM roles ORDER BY position")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            roles.push(serde_json::from_str::<CustomRole>(&body?)?);
        }
        let mut account = Account::new(account_id, owner_id, members, roles);
        let mut teams = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT body FROM teams ORDER BY position")?;
        for body in stmt.query_map([], |r| r.get::<_, String>(0))? {
            teams.push(serde_json::from_str::<Team>(&body?)?);
        }
        account.set_teams(teams);
        let mut stmt = self
            .conn
            .prepare("SELECT body, secret_hash, creator, version, last_used FROM tokens")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (body, hash, creator, version, last_used) = row?;
            let token: Token = serde_json::from_str(&body)?;
            let creator = creator
                .map(|c| serde_json::from_str::<Member>(&c))
                .transpose()?;
            let mut meta = TokenMeta::new(to_hash(&hash)?, creator);
            meta.version = u64::try_from(version).unwrap_or(1);
            meta.last_used.store(last_used, Ordering::Relaxed);
            meta.last_used_saved.store(last_used, Ordering::Relaxed);
            account.insert_token(token, meta);
        }
        // A directory written before resets revoked older grace secrets may hold several per token: only the
        // one written last (the secret its latest reset replaced) is kept.
        self.conn.execute(
            "DELETE FROM grace_secrets WHERE rowid NOT IN (SELECT MAX(rowid) FROM grace_secrets GROUP BY token_id)",
            [],
        )?;
        let mut stmt = self
            .conn
            .prepare("SELECT hash, token_id, expires_at FROM grace_secrets")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (hash, token_id, expires_at) = row?;
            account.insert_grace_secret(to_hash(&hash)?, token_id, expires_at);
        }
        Ok(Some(account))
    }

    /// Writes a whole account (the first start on an empty directory).
    pub fn save_account(&mut self, account: &Account) -> Result<(), PersistError> {
        let tx = self.conn.transaction()?;
        for table in [
            "meta",
            "members",
            "roles",
            "teams",
            "tokens",
            "grace_secrets",
        ] {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('account_id', ?1), ('owner_id', ?2)",
            params![account.account_id, account.owner_id],
        )?;
        for member in account.members() {
            tx.execute(
                "INSERT INTO members (id, body) VALUES (?1, ?2)",
                params![member.id, serde_json::to_string(member)?],
            )?;
        }
        for (position, role) in account.roles().iter().enumerate() {
            tx.execute(
                "INSERT INTO roles (position, id, body) VALUES (?1, ?2, ?3)",
                params![position as i64, role.id, serde_json::to_string(role)?],
            )?;
        }
        for (position, team) in account.teams().iter().enumerate() {
            tx.execute(
                "INSERT INTO teams (position, key, body) VALUES (?1, ?2, ?3)",
                params![position as i64, team.key, serde_json::to_string(team)?],
            )?;
        }
        for (token, meta) in account.entries() {
            put_token(
                &tx,
                &TokenRow {
                    token,
                    secret_hash: &meta.secret_hash,
                    creator: meta.creator_snapshot.as_ref(),
                    version: meta.version,
                    last_used: meta.last_used.load(Ordering::Relaxed),
                },
            )?;
        }
        for entry in account.secret_entries() {
            if let Some(expires_at) = entry.expires_at {
                tx.execute(
                    "INSERT OR REPLACE INTO grace_secrets (hash, token_id, expires_at) VALUES (?1, ?2, ?3)",
                    params![entry.hash.as_slice(), entry.token_id, expires_at],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Inserts or replaces one token.
    pub fn put_token(&mut self, row: &TokenRow<'_>) -> Result<(), PersistError> {
        let tx = self.conn.transaction()?;
        put_token(&tx, row)?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces a token after a reset: its new secret, and the old one's grace period (if any). Older grace
    /// secrets of the token are deleted: only the secret just replaced keeps working.
    pub fn put_reset(
        &mut self,
        row: &TokenRow<'_>,
        old_hash: &SecretHash,
        grace_until: Option<i64>,
        now: i64,
    ) -> Result<(), PersistError> {
        let tx = self.conn.transaction()?;
        put_token(&tx, row)?;
        tx.execute("DELETE FROM grace_secrets WHERE expires_at <= ?1", [now])?;
        tx.execute(
            "DELETE FROM grace_secrets WHERE token_id = ?1",
            [&row.token.id],
        )?;
        if let Some(expires_at) = grace_until {
            tx.execute(
                "INSERT OR REPLACE INTO grace_secrets (hash, token_id, expires_at) VALUES (?1, ?2, ?3)",
                params![old_hash.as_slice(), row.token.id, expires_at],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes a token and its grace secrets.
    pub fn delete_token(&mut self, id: &str) -> Result<(), PersistError> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM tokens WHERE id = ?1", [id])?;
        tx.execute("DELETE FROM grace_secrets WHERE token_id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Saves `lastUsed` stamps (batched: they change on every request).
    pub fn save_last_used(&mut self, stamps: &[(String, i64)]) -> Result<(), PersistError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare("UPDATE tokens SET last_used = ?2 WHERE id = ?1")?;
            for (id, at) in stamps {
                stmt.execute(params![id, at])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

fn put_token(tx: &Transaction<'_>, row: &TokenRow<'_>) -> Result<(), PersistError> {
    let creator = row.creator.map(serde_json::to_string).transpose()?;
    tx.execute(
        "INSERT OR REPLACE INTO tokens (id, body, secret_hash, creator, version, last_used) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            row.token.id,
            serde_json::to_string(row.token)?,
            row.secret_hash.as_slice(),
            creator,
            i64::try_from(row.version).unwrap_or(i64::MAX),
            row.last_used
        ],
    )?;
    Ok(())
}

fn to_hash(bytes: &[u8]) -> Result<SecretHash, PersistError> {
    bytes
        .try_into()
        .map_err(|_| PersistError("stored secret hash is not 32 bytes".into()))
}
