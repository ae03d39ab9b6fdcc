//! Bytes to text. Reports arrive as UTF-8 (with or without a BOM), as UTF-16 with a BOM,
//! or as Windows-1252 from older tools; any of these decodes, and a file is refused
//! only for being empty, blank, binary or too large.
//!
//! Bytes that are not valid UTF-8 are repaired one by one (read as Windows-1252 in
//! place) and the valid UTF-8 around them is kept: one stray byte in a UTF-8 report must
//! not turn its curly quotes into mojibake. A whole Windows-1252 file comes out the same
//! as decoding it whole, since its ASCII is valid UTF-8 and every other byte is repaired.

use std::io::Read;
use std::path::Path;
use std::sync::LazyLock;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::RejectReason;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Share of control characters (other than tab, line breaks and form feed) above which
/// a file is taken for binary: 1 in 20 bytes. Real text has next to none.
const MAX_CONTROL_SHARE: (usize, usize) = (1, 20);

/// Share of characters repaired from bytes that are not UTF-8, above which the text must
/// also look like prose (see [`MIN_SPACE_SHARE`]): 1 in 4. Windows-1252 prose in any
/// Western language is mostly ASCII; random high bytes are nearly all repaired.
const MAX_REPAIRED_SHARE: (usize, usize) = (1, 4);

/// Share of ASCII whitespace below which a mostly repaired text is taken for binary:
/// 1 in 20. Prose has a space every few words; random bytes have next to none.
const MIN_SPACE_SHARE: (usize, usize) = (1, 20);

/// Each byte from 0x80 up as Windows-1252 reads it (the five undefined bytes become the
/// C1 controls of the same value, as the WHATWG decoder has it).
static CP1252_HIGH: LazyLock<[char; 128]> = LazyLock::new(|| {
    let mut table = ['\u{fffd}'; 128];
    for (i, slot) in table.iter_mut().enumerate() {
        let byte = [0x80 | i as u8];
        let (text, _) = WINDOWS_1252.decode_without_bom_handling(&byte);
        if let Some(c) = text.chars().next() {
            *slot = c;
        }
    }
    table
});

/// Reads and decodes a file, checking its size against `max_bytes` before reading it whole.
///
/// Only regular files are opened: opening a FIFO blocks until a writer comes, and a
/// device may never end. The type is checked before opening (by path) and again on the
/// open handle, in case the path was replaced in between.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, RejectReason> {
    let regular = |meta: &std::fs::Metadata| {
        if meta.is_file() {
            Ok(())
        } else {
            Err(RejectReason::NotAFile(super::files::kind(
                &meta.file_type(),
            )))
        }
    };
    regular(&std::fs::metadata(path).map_err(|e| RejectReason::Read(e.to_string()))?)?;
    let file = std::fs::File::open(path).map_err(|e| RejectReason::Read(e.to_string()))?;
    let meta = file
        .metadata()
        .map_err(|e| RejectReason::Read(e.to_string()))?;
    regular(&meta)?;
    if meta.len() > max_bytes {
        return Err(RejectReason::TooLarge {
            size: meta.len(),
            limit: max_bytes,
        });
    }
    // The file may grow between the check and the read: read one byte past the limit
    // at most, and refuse if it is there.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| RejectReason::Read(e.to_string()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(RejectReason::TooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    decode(&bytes)
}

/// Decodes report bytes: BOM stripped; UTF-8 as is; UTF-16 when it has a BOM; bytes
/// that are not UTF-8 as Windows-1252. Refuses empty, blank and binary input.
pub fn decode(bytes: &[u8]) -> Result<String, RejectReason> {
    if bytes.is_empty() {
        return Err(RejectReason::Empty);
    }
    let text = if let Some(rest) = bytes.strip_prefix(UTF8_BOM) {
        decode_8bit(rest)?
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        UTF_16LE.decode_without_bom_handling(rest).0.into_owned()
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        UTF_16BE.decode_without_bom_handling(rest).0.into_owned()
    } else {
        decode_8bit(bytes)?
    };
    if looks_binary(text.chars()) {
        return Err(RejectReason::Binary);
    }
    if text.trim().is_empty() {
        return Err(if text.is_empty() {
            RejectReason::Empty
        } else {
            RejectReason::Blank
        });
    }
    Ok(text)
}

/// UTF-8 as is; each byte that is not part of valid UTF-8 read as Windows-1252 in place.
/// Refuses NUL bytes, and a text made mostly of repaired bytes with no room for words.
fn decode_8bit(bytes: &[u8]) -> Result<String, RejectReason> {
    // NUL never occurs in text in either encoding; checking the bytes first spares
    // decoding a large binary file.
    if bytes.contains(&0) {
        return Err(RejectReason::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut repaired = 0usize;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        for &b in chunk.invalid() {
            // Invalid bytes are never ASCII, so always 0x80 or above.
            text.push(CP1252_HIGH[usize::from(b & 0x7f)]);
            repaired += 1;
        }
    }
    if implausible_repair(&text, repaired) {
        return Err(RejectReason::Binary);
    }
    Ok(text)
}

/// True for a text mostly repaired from non-UTF-8 bytes that has almost no ASCII
/// whitespace: high-byte binary, not Windows-1252 prose.
fn implausible_repair(text: &str, repaired: usize) -> bool {
    let (mut total, mut spaces) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if c.is_ascii_whitespace() {
            spaces += 1;
        }
    }
    repaired * MAX_REPAIRED_SHARE.1 > total * MAX_REPAIRED_SHARE.0
        && spaces * MIN_SPACE_SHARE.1 < total * MIN_SPACE_SHARE.0
}

/// True when the text holds NUL or too many other control characters.
fn looks_binary(chars: impl Iterator<Item = char>) -> bool {
    let (mut total, mut control) = (0usize, 0usize);
    for c in chars {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            control += 1;
        }
    }
    control * MAX_CONTROL_SHARE.1 > total * MAX_CONTROL_SHARE.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through_and_bom_is_stripped() {
        assert_eq!(decode("Müller “yes”".as_bytes()).unwrap(), "Müller “yes”");
        assert_eq!(decode(b"\xEF\xBB\xBFHello").unwrap(), "Hello");
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Müller said “we go again”" in Windows-1252.
        let bytes = b"M\xFCller said \x93we go again\x94 \x96 twice";
        assert_eq!(
            decode(bytes).unwrap(),
            "Müller said \u{201c}we go again\u{201d} \u{2013} twice"
        );
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Gündoğan".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "Gündoğan");
    }

    #[test]
    fn empty_blank_and_binary_are_refused() {
        assert!(matches!(decode(b""), Err(RejectReason::Empty)));
        assert!(matches!(decode(b"\xEF\xBB\xBF"), Err(RejectReason::Empty)));
        assert!(matches!(decode(b" \n\t\r\n "), Err(RejectReason::Blank)));
        assert!(matches!(decode(b"abc\0def"), Err(RejectReason::Binary)));
        assert!(matches!(
            decode(b"\x01\x02\x03\x04 some text \x05\x06"),
            Err(RejectReason::Binary)
        ));
        // A stray control character in a long text is tolerated.
        let mut ok = "word ".repeat(100).into_bytes();
        ok.push(0x07);
        assert!(decode(&ok).is_ok());
    }

    #[test]
    fn size_is_checked_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.txt");
        std::fs::write(&p, "x".repeat(2000)).unwrap();
        match read_text(&p, 1000) {
            Err(RejectReason::TooLarge { size, limit }) => {
                assert_eq!((size, limit), (2000, 1000));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(read_text(&p, 2000).unwrap().len(), 2000);
        assert!(matches!(
            read_text(&dir.path().join("missing.txt"), 10),
            Err(RejectReason::Read(_))
        ));
    }
}
