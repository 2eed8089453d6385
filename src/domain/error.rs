//! The domain's refusals, and [`Kind`]: the two kinds of failure every layer's error sorts into.

/// Whose fault a failure is. The exit status comes from this, never from a message's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The input was wrong or the operation is refused (usage, a bad value, a launch that misses
    /// its baseline standard): the user can correct it and try again. Exit 2.
    Input,
    /// The store or the system failed. Exit 1.
    System,
}

impl Kind {
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Input => 2,
            Kind::System => 1,
        }
    }
}

/// What pure logic refuses: always the input's fault. The text is the one line the user reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A value that cannot be what was asked for: `'2026-02-30' is not a date`, or a rule that
    /// says no: `move at most $4,000 (what 'Display' has unspent)`.
    #[error("{0}")]
    Invalid(String),
    /// Where the bad value was given: `--date: ...`, `AMOUNT: ...`.
    #[error("{at}: {source}")]
    At { at: String, source: Box<Error> },
    /// Which field of an entry is wrong, for a form to focus it; the text is the source's alone.
    #[error("{source}")]
    InField { field: &'static str, source: Box<Error> },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The input is wrong: say what and how to settle it, in one line.
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    pub fn kind(&self) -> Kind {
        Kind::Input
    }

    /// The same refusal, saying where the value was given.
    pub fn at(self, what: impl std::fmt::Display) -> Self {
        Error::At { at: what.to_string(), source: Box::new(self) }
    }

    /// The same refusal and words, marked as about `field` (see `field`).
    pub fn in_field(self, field: &'static str) -> Self {
        Error::InField { field, source: Box::new(self) }
    }

    /// The field the refusal is about, when it was marked with one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::InField { field, .. } => Some(field),
            Error::At { source, .. } => source.field(),
            Error::Invalid(_) => None,
        }
    }
}
