//! What reading or writing a file can refuse or fail at (the import's per-line problems are
//! `domain::import::ImportError`, listed, not raised).

use crate::domain::error::Kind;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::store::error::Error),
    #[error(transparent)]
    Output(#[from] crate::output::Error),
    /// This export does not write the format asked for.
    #[error("{0}")]
    Format(String),
    /// A file could not be written or read back, or a program could not run (exit 1).
    #[error("{0}")]
    System(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// What was asked of the file cannot be done (exit 2).
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Format(msg.into())
    }

    pub fn kind(&self) -> Kind {
        match self {
            Error::Store(e) => e.kind(),
            Error::Output(_) | Error::System(_) => Kind::System,
            Error::Format(_) => Kind::Input,
        }
    }
}
