//! The one error type that reaches the user, and the exit status it maps to.

use std::fmt;

/// What went wrong, sorted by whose fault it was: exit 2 for input the user
/// can correct, exit 1 for a store or system failure.
#[derive(Debug)]
pub enum Error {
    /// The input was wrong: usage, a bad value, a refused operation.
    Input(String),
    /// The store or the system failed.
    System(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Input(msg.into())
    }
    pub fn system(msg: impl Into<String>) -> Self {
        Error::System(msg.into())
    }
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Input(_) => 2,
            Error::System(_) => 1,
        }
    }
    pub fn message(&self) -> &str {
        match self {
            Error::Input(m) | Error::System(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(code, _) if code.code == rusqlite::ErrorCode::ConstraintViolation => {
                Error::Input(format!("refused by the store: {e}"))
            }
            _ => Error::System(format!("store: {e}")),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::System(e.to_string())
    }
}

/// Attach where an error happened ("--date", "file.csv:12") to its message.
pub trait Context<T> {
    fn context(self, what: impl fmt::Display) -> Result<T>;
}

impl<T> Context<T> for Result<T> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|e| match e {
            Error::Input(m) => Error::Input(format!("{what}: {m}")),
            Error::System(m) => Error::System(format!("{what}: {m}")),
        })
    }
}
