//! The one error type of the core. It says what went wrong and where: the
//! section of the file, the item within it, and the byte offset. The Python
//! layer turns it into `animeceleb.PmxError` carrying the same fields.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Fewer bytes left than the item needs.
    Truncated,
    /// Not a PMX/PMD file.
    BadMagic,
    /// A version this library does not read.
    UnsupportedVersion,
    /// A value outside what the format allows (flag, size byte, enum byte, ...).
    InvalidValue,
    /// An index pointing outside its table.
    IndexOutOfRange,
    /// Text that does not decode in the file's encoding.
    BadText,
    /// A group/flip morph that refers back to itself.
    MorphCycle,
    /// A morph or bone name that the model does not have.
    UnknownName,
    /// A model that cannot be written as asked (index width too small, ...).
    Unwritable,
    /// Reading or writing the file failed.
    Io,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Truncated => "truncated",
            ErrorKind::BadMagic => "bad_magic",
            ErrorKind::UnsupportedVersion => "unsupported_version",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::IndexOutOfRange => "index_out_of_range",
            ErrorKind::BadText => "bad_text",
            ErrorKind::MorphCycle => "morph_cycle",
            ErrorKind::UnknownName => "unknown_name",
            ErrorKind::Unwritable => "unwritable",
            ErrorKind::Io => "io",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// "header", "vertices", "faces", "textures", "materials", "bones",
    /// "morphs", "display_frames", "rigid_bodies", "joints", "soft_bodies",
    /// or for non-file errors the subsystem ("poser", "writer", "file").
    pub section: &'static str,
    /// Index of the item within the section, when there is one.
    pub item: Option<usize>,
    /// Byte offset in the file where the problem was found (0 when not from a file).
    pub offset: usize,
    pub message: String,
}

impl Error {
    pub fn new(
        kind: ErrorKind,
        section: &'static str,
        item: Option<usize>,
        offset: usize,
        message: impl Into<String>,
    ) -> Error {
        Error {
            kind,
            section,
            item,
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.section)?;
        if let Some(i) = self.item {
            write!(f, "[{i}]")?;
        }
        write!(f, " at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
