//! Reports in: decoding, front matter, files and directories.
