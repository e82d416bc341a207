//! The account behind one lock, with its database when `--data` is given.
//!
//! Reads share the lock. Every mutation holds the write lock from its checks to its commit, so mutations
//! are serialized: two writes never interleave, and a PATCH racing a DELETE ends as one or the other.

use crate::account::Account;
use crate::error::ErrorResponse;
use crate::persist::{Db, PersistError};
use std::sync::atomic::Ordering;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The account and where it is saved.
pub struct Store {
    account: RwLock<Account>,
    db: Option<Mutex<Db>>,
    /// How many service tokens the account may hold.
    pub service_token_limit: usize,
}

/// Exclusive access for one mutation.
pub struct Writer<'a> {
    pub account: RwLockWriteGuard<'a, Account>,
    db: Option<&'a Mutex<Db>>,
}

impl Store {
    /// A store over `account`, saving to `db` when given.
    pub fn new(account: Account, db: Option<Db>, service_token_limit: usize) -> Self {
        Store {
            account: RwLock::new(account),
            db: db.map(Mutex::new),
            service_token_limit,
        }
    }

    /// Shared access for reads.
    pub fn read(&self) -> RwLockReadGuard<'_, Account> {
        self.account.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Exclusive access for a mutation.
    pub fn write(&self) -> Writer<'_> {
        Writer {
            account: self.account.write().unwrap_or_else(|e| e.into_inner()),
            db: self.db.as_ref(),
        }
    }

    /// Writes `lastUsed` stamps that changed since the last flush. Returns how many were written.
    pub fn flush_last_used(&self) -> Result<usize, PersistError> {
        let Some(db) = &self.db else {
            return Ok(0);
        };
        let mut stamps = Vec::new();
        {
            let account = self.read();
            for (token, meta) in account.entries() {
                let used = meta.last_used.load(Ordering::Relaxed);
                if used != meta.last_used_saved.load(Ordering::Relaxed) {
                    stamps.push((token.id.clone(), used));
                }
            }
        }
        if stamps.is_empty() {
            return Ok(0);
        }
        db.lock()
            .unwrap_or_else(|e| e.into_inner())
            .save_last_used(&stamps)?;
        let account = self.read();
        for (id, used) in &stamps {
            if let Some((_, meta)) = account.token(id) {
                meta.last_used_saved.store(*used, Ordering::Relaxed);
            }
        }
        Ok(stamps.len())
    }
}

impl Writer<'_> {
    /// Runs a database write (nothing without `--data`); the caller changes memory only after it succeeds,
    /// so a failed commit leaves the account as it was.
    pub fn persist(
        &self,
        write: impl FnOnce(&mut Db) -> Result<(), PersistError>,
    ) -> Result<(), ErrorResponse> {
        match self.db {
            None => Ok(()),
            Some(db) => write(&mut db.lock().unwrap_or_else(|e| e.into_inner()))
                .map_err(|e| ErrorResponse::internal(format!("could not save the change: {e}"))),
        }
    }
}
