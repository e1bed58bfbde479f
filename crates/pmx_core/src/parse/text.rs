//! Text codecs for model files: UTF-16LE and UTF-8 (PMX), Shift-JIS (PMD).

use crate::model::Encoding;

/// Decode text in `encoding`; `None` if the bytes are not valid in it.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    match encoding {
        Encoding::Utf16 => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let units = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
        Encoding::ShiftJis => {
            let (s, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
            (!had_errors).then(|| s.into_owned())
        }
    }
}

/// PMD's fixed-width fields end at the first NUL; bytes after it are
/// leftovers from the authoring tool and are ignored. A field cut in the middle
/// of a two-byte character keeps the complete characters only.
pub fn decode_fixed_sjis(bytes: &[u8]) -> Option<String> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let (s, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes[..end]);
    if !had_errors {
        return Some(s.into_owned());
    }
    // A lead byte at the very end of a full-width field: drop it.
    if end == bytes.len() && end > 0 {
        let (s, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&bytes[..end - 1]);
        if !had_errors {
            return Some(s.into_owned());
        }
    }
    None
}

/// Encode text for writing; `None` if a character cannot be represented.
pub fn encode(s: &str, encoding: Encoding) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Utf16 => Some(s.encode_utf16().flat_map(u16::to_le_bytes).collect()),
        Encoding::Utf8 => Some(s.as_bytes().to_vec()),
        Encoding::ShiftJis => {
            let (b, _, had_errors) = encoding_rs::SHIFT_JIS.encode(s);
            (!had_errors).then(|| b.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_round_trip_and_odd_length() {
        let b = encode("首 neck", Encoding::Utf16).unwrap();
        assert_eq!(decode(&b, Encoding::Utf16).as_deref(), Some("首 neck"));
        assert_eq!(decode(&b[..3], Encoding::Utf16), None);
    }

    #[test]
    fn lone_surrogate_is_rejected() {
        assert_eq!(decode(&[0x00, 0xD8], Encoding::Utf16), None);
    }

    #[test]
    fn sjis_fixed_cuts_at_nul() {
        let mut b = encode("まばたき", Encoding::ShiftJis).unwrap();
        b.extend_from_slice(&[0, 0xFD, 0xFD]);
        assert_eq!(decode_fixed_sjis(&b).as_deref(), Some("まばたき"));
    }
}
