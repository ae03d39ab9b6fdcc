//! PATH arguments to report files: files as given, directories walked for
//! `.txt`, `.md` and `.markdown` files, hidden entries and READMEs skipped, sorted by name.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{RejectReason, Rejected};

/// Extensions taken from a walked directory (compared without case).
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "md", "markdown"];

/// The files to load, in a stable order, and the arguments or entries that could not be
/// used (missing path, unreadable folder).
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Rejected>) {
    let mut files = Vec::new();
    let mut rejected = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(e) => rejected.push(Rejected {
                path: path.clone(),
                reason: RejectReason::Read(e.to_string()),
            }),
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut rejected),
            Ok(meta) if meta.is_file() => files.push(path.clone()),
            Ok(meta) => rejected.push(Rejected {
                path: path.clone(),
                reason: RejectReason::NotAFile(kind(&meta.file_type())),
            }),
        }
    }
    (files, rejected)
}

fn walk(root: &Path, files: &mut Vec<PathBuf>, rejected: &mut Vec<Rejected>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        // The root itself is walked even when its name starts with a dot (".", "./.reports").
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e)
                if e.file_type().is_file()
                    && has_report_extension(e.path())
                    && !is_folder_readme(e.path()) =>
            {
                files.push(e.into_path());
            }
            // A FIFO or socket with a report's name is refused by name, not skipped unseen.
            Ok(e)
                if !e.file_type().is_file()
                    && !e.file_type().is_dir()
                    && has_report_extension(e.path()) =>
            {
                rejected.push(Rejected {
                    reason: RejectReason::NotAFile(kind(&e.file_type())),
                    path: e.into_path(),
                });
            }
            Ok(_) => {}
            Err(e) => rejected.push(Rejected {
                path: e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf()),
                reason: RejectReason::Read(e.to_string()),
            }),
        }
    }
}

/// A path as text without losing anything: valid UTF-8 as is, each byte that is not
/// written `\xNN`. `Path::display` would turn every such byte into U+FFFD, so that
/// `caf\xE9.txt` and `caf\xE8.txt` would be stored and shown as the same name.
pub fn path_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned()
    }
}

/// What a file that is neither a regular file nor a folder is, for the refusal.
pub fn kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// A folder's README describes the folder; it is not a report (named on its own, it is taken).
fn is_folder_readme(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"))
}

/// True for the extensions in [`REPORT_EXTENSIONS`].
pub fn has_report_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| REPORT_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_sorted_skipping_hidden_and_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/deeper")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for f in [
            "z.md",
            "a.txt",
            "b/deeper/c.MARKDOWN",
            "b/notes.pdf",
            ".hidden.md",
            ".git/x.md",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let explicit = root.join("b/notes.pdf");
        let (files, rejected) = expand(&[
            root.to_path_buf(),
            explicit.clone(),
            root.join("missing.md"),
        ]);
        let rel: Vec<_> = files
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            rel,
            vec!["a.txt", "b/deeper/c.MARKDOWN", "z.md", "b/notes.pdf"]
        );
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].path, root.join("missing.md"));
    }

    #[cfg(unix)]
    #[test]
    fn path_text_escapes_only_the_bytes_that_are_not_utf8() {
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(std::ffi::OsStr::from_bytes(b"/r/caf\xe9 \xc3\xa9t\xc3.txt"));
        assert_eq!(path_text(p), "/r/caf\\xE9 \u{e9}t\\xC3.txt");
        assert_eq!(path_text(Path::new("/r/Müller.md")), "/r/Müller.md");
    }
}
