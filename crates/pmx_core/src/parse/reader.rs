//! A bounds-checked little-endian cursor. Every read checks the bytes exist
//! first and reports the section, item and offset on failure, so the parsers
//! never panic and never index past the end.

use crate::error::{Error, ErrorKind, Result};
use crate::model::Encoding;
use crate::parse::text;

pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    section: &'static str,
    item: Option<usize>,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            section: "header",
            item: None,
        }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn is_at_end(&self) -> bool {
        self.pos == self.data.len()
    }

    /// Start a new section; clears the item.
    pub fn section(&mut self, section: &'static str) {
        self.section = section;
        self.item = None;
    }

    pub fn item(&mut self, item: usize) {
        self.item = Some(item);
    }

    /// An error at the current position.
    pub fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        self.error_at(kind, self.pos, message)
    }

    /// An error at a given offset (e.g. where a bad value started).
    pub fn error_at(&self, kind: ErrorKind, offset: usize, message: impl Into<String>) -> Error {
        Error::new(kind, self.section, self.item, offset, message)
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return Err(self.error(
                ErrorKind::Truncated,
                format!("needs {n} bytes, {} left", self.remaining()),
            ));
        }
        let bytes = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub fn i8(&mut self) -> Result<i8> {
        Ok(i8::from_le_bytes(self.array()?))
    }
    pub fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    pub fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_le_bytes(self.array()?))
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }
    pub fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    pub fn vec2(&mut self) -> Result<[f32; 2]> {
        Ok([self.f32()?, self.f32()?])
    }
    pub fn vec3(&mut self) -> Result<[f32; 3]> {
        Ok([self.f32()?, self.f32()?, self.f32()?])
    }
    pub fn vec4(&mut self) -> Result<[f32; 4]> {
        Ok([self.f32()?, self.f32()?, self.f32()?, self.f32()?])
    }

    /// Check that `count` items of at least `min_item_size` bytes each can
    /// still be in the file, before anything is allocated for them.
    pub fn check_count(&self, count: usize, min_item_size: usize, what: &str) -> Result<()> {
        let needed = count.checked_mul(min_item_size);
        match needed {
            Some(n) if n <= self.remaining() => Ok(()),
            _ => Err(self.error(
                ErrorKind::Truncated,
                format!(
                    "{what} count {count} needs at least {} bytes, {} left",
                    needed.map_or_else(|| "overflowing".to_string(), |n| n.to_string()),
                    self.remaining()
                ),
            )),
        }
    }

    /// A PMX count (i32): negative is invalid, and the items must fit in the
    /// bytes left at `min_item_size` each.
    pub fn count_i32(&mut self, min_item_size: usize, what: &str) -> Result<usize> {
        let at = self.pos;
        let n = self.i32()?;
        let n = usize::try_from(n).map_err(|_| {
            self.error_at(
                ErrorKind::InvalidValue,
                at,
                format!("negative {what} count {n}"),
            )
        })?;
        self.check_count(n, min_item_size, what)?;
        Ok(n)
    }

    /// A signed PMX index of 1, 2 or 4 bytes; -1 (any negative) means none.
    pub fn index(&mut self, size: u8) -> Result<i32> {
        Ok(match size {
            1 => self.i8()? as i32,
            2 => self.i16()? as i32,
            _ => self.i32()?,
        })
    }

    /// A PMX vertex index: unsigned for 1 and 2 bytes, signed (must be >= 0) for 4.
    pub fn vertex_index(&mut self, size: u8) -> Result<u32> {
        let at = self.pos;
        Ok(match size {
            1 => self.u8()? as u32,
            2 => self.u16()? as u32,
            _ => {
                let v = self.i32()?;
                u32::try_from(v).map_err(|_| {
                    self.error_at(
                        ErrorKind::IndexOutOfRange,
                        at,
                        format!("negative vertex index {v}"),
                    )
                })?
            }
        })
    }

    /// PMX text: i32 byte length, then the bytes in the file's encoding.
    pub fn text(&mut self, encoding: Encoding) -> Result<String> {
        let at = self.pos;
        let len = self.count_i32(1, "text byte")?;
        let bytes = self.take(len)?;
        text::decode(bytes, encoding).ok_or_else(|| {
            self.error_at(
                ErrorKind::BadText,
                at,
                format!("text does not decode as {}", encoding.as_str()),
            )
        })
    }

    /// PMD fixed-width Shift-JIS text: cut at the first NUL.
    pub fn fixed_text(&mut self, width: usize) -> Result<String> {
        let at = self.pos;
        let bytes = self.take(width)?;
        text::decode_fixed_sjis(bytes).ok_or_else(|| {
            self.error_at(ErrorKind::BadText, at, "text does not decode as shift-jis")
        })
    }
}
