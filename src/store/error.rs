//! What the store refuses or fails at. SQLite's own errors are sorted by their code, never by
//! their text: a constraint is the input's fault, anything else the system's.

use rusqlite::ErrorCode;

use crate::domain::error::{self as domain, Kind};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value or a rule of the domain refused what was asked.
    #[error(transparent)]
    Domain(#[from] domain::Error),
    /// The store refuses: no such row, or its state forbids it (`decision #3 is already done`).
    #[error("{0}")]
    Refused(String),
    /// The file is not a store this build may open (not SQLite, not ours, newer): left untouched.
    #[error("{0}")]
    NotOurs(String),
    /// The store file, its directory or the system failed.
    #[error("{0}")]
    Failed(String),
    /// SQLite refused a write against the schema's rules: the input's fault.
    #[error("refused by the store: {0}")]
    Constraint(rusqlite::Error),
    /// SQLite itself failed.
    #[error("store: {0}")]
    Sqlite(rusqlite::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The store refuses what was asked (exit 2).
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Refused(msg.into())
    }

    /// The store or the system failed (exit 1).
    pub fn system(msg: impl Into<String>) -> Self {
        Error::Failed(msg.into())
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Domain(e) => e.kind(),
            Error::Refused(_) | Error::NotOurs(_) | Error::Constraint(_) => Kind::Input,
            Error::Failed(_) | Error::Sqlite(_) => Kind::System,
        }
    }

    /// The field of an entry the refusal is about, when the domain marked one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Domain(e) => e.field(),
            _ => None,
        }
    }

    /// SQLite's extended code, when SQLite produced this error.
    pub fn sqlite_code(&self) -> Option<ErrorCode> {
        match self {
            Error::Constraint(rusqlite::Error::SqliteFailure(e, _))
            | Error::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => Some(e.code),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(code, _) if code.code == ErrorCode::ConstraintViolation => {
                Error::Constraint(e)
            }
            _ => Error::Sqlite(e),
        }
    }
}
