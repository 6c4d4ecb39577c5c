//! The compressed forms of the app's files: brotli and gzip at their best
//! levels, so phones on weak signal download as few bytes as possible.
//!
//! Brotli's best level takes half a minute on the built app, so the forms
//! are made on every core at once and kept on disk, named by the file's
//! digest, in the user's cache directory: a restart (a deploy, the next
//! end-to-end test's server) reads them instead. A kept form is used only if
//! it decompresses to the file itself; anything wrong with the cache only
//! costs the time to compress again.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// A file's compressed forms; `None` where compressing does not make it smaller.
#[derive(Default)]
pub struct Compressed {
    pub brotli: Option<Vec<u8>>,
    pub gzip: Option<Vec<u8>>,
}

/// Kept forms unused for this long are removed at the next start.
const KEPT_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// The compressed forms of each of `files`, in their order.
pub fn compress_all(files: &[&[u8]]) -> Vec<Compressed> {
    let cache = cache_dir();
    if let Some(dir) = &cache {
        forget_unused(dir);
    }
    // Largest first, so no core is left with a big file at the end.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(files[index].len()));
    let results: Vec<Mutex<Compressed>> = files.iter().map(|_| Mutex::default()).collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |count| count.get()).min(files.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let compressed = compress(files[index], cache.as_deref());
                    *results[index].lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = compressed;
                }
            });
        }
    });
    results.into_iter().map(|slot| slot.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())).collect()
}

fn compress(file: &[u8], cache: Option<&Path>) -> Compressed {
    let digest: String = Sha256::digest(file).iter().map(|byte| format!("{byte:02x}")).collect();
    let smaller = |form: Vec<u8>| (form.len() < file.len()).then_some(form);
    let kept = |coding: &Coding| {
        let path = cache.map(|dir| dir.join(format!("{digest}.{}", coding.extension)));
        let form = path.as_deref().and_then(|path| read_kept(path, file, coding)).unwrap_or_else(|| {
            let form = (coding.compress)(file);
            if let Some(path) = &path {
                keep(path, &form);
            }
            form
        });
        smaller(form)
    };
    Compressed { brotli: kept(&BROTLI), gzip: kept(&GZIP) }
}

/// One content coding: how to make a form and how to check one.
struct Coding {
    extension: &'static str,
    compress: fn(&[u8]) -> Vec<u8>,
    decompress: fn(&[u8], usize) -> std::io::Result<Vec<u8>>,
}

// The extension names the settings too: other settings, other files.
const BROTLI: Coding = Coding { extension: "q11w22.br", compress: brotli, decompress: unbrotli };
const GZIP: Coding = Coding { extension: "best.gz", compress: gzip, decompress: gunzip };

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).expect("writing to memory cannot fail");
    }
    out
}

/// Decompresses at most `limit` bytes: a kept form larger than its file is not its file.
fn unbrotli(bytes: &[u8], limit: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096).take(limit as u64 + 1).read_to_end(&mut out)?;
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory cannot fail");
    encoder.finish().expect("writing to memory cannot fail")
}

/// Like [`unbrotli`]; every member of the stream is read (a browser reads them all).
fn gunzip(bytes: &[u8], limit: usize) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).take(limit as u64 + 1).read_to_end(&mut out)?;
    Ok(out)
}

/// `$XDG_CACHE_HOME/gocua-server/compressed`, or under `~/.cache`; none if
/// it cannot be made (the forms are then made at every start).
fn cache_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    let dir = base.join("gocua-server").join("compressed");
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    // The user's own: nobody else plants a form in it.
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir).ok()?;
    Some(dir)
}

/// A kept form, if there is one and it is `file`'s; marks it used.
fn read_kept(path: &Path, file: &[u8], coding: &Coding) -> Option<Vec<u8>> {
    let form = std::fs::read(path).ok()?;
    if (coding.decompress)(&form, file.len()).ok()? != file {
        return None;
    }
    if let Ok(kept) = std::fs::File::options().write(true).open(path) {
        let _ = kept.set_modified(SystemTime::now());
    }
    Some(form)
}

/// Keeps a form; written beside, in a file of its own that did not exist
/// (never through a link someone left there), and renamed, so a reader never
/// sees half of it.
fn keep(path: &Path, form: &[u8]) {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |since| since.subsec_nanos());
    let partial = path.with_extension(format!("partial-{}-{nanos}", std::process::id()));
    let written = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&partial)
        .and_then(|mut file| file.write_all(form))
        .and_then(|()| std::fs::rename(&partial, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        tracing::debug!(%error, path = %path.display(), "a compressed form of the app could not be kept");
    }
}

fn forget_unused(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let unused = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > KEPT_FOR);
        if unused {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_form_is_used_only_if_it_is_the_files() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = "Gõ Cửa ".repeat(500).into_bytes();
        let first = compress(&file, Some(dir.path()));
        let brotli_form = first.brotli.clone().expect("text compresses");
        assert_eq!(unbrotli(&brotli_form, file.len()).expect("decompresses"), file);
        let gzip_form = first.gzip.clone().expect("text compresses");
        assert_eq!(gunzip(&gzip_form, file.len()).expect("decompresses"), file);

        let digest: String = Sha256::digest(&file).iter().map(|byte| format!("{byte:02x}")).collect();
        let kept = dir.path().join(format!("{digest}.{}", BROTLI.extension));
        assert_eq!(std::fs::read(&kept).expect("kept"), brotli_form);
        // A damaged form is made again, never served.
        std::fs::write(&kept, b"not brotli").expect("written");
        assert_eq!(compress(&file, Some(dir.path())).brotli, Some(brotli_form));
        // So is one that carries more than the file after it.
        let kept_gzip = dir.path().join(format!("{digest}.{}", GZIP.extension));
        std::fs::write(&kept_gzip, [gzip_form.clone(), gzip(b"<script>")].concat()).expect("written");
        assert_eq!(compress(&file, Some(dir.path())).gzip, Some(gzip_form));
    }

    #[test]
    fn forms_that_are_not_smaller_are_not_offered() {
        let compressed = compress(b"x", None);
        assert!(compressed.brotli.is_none() && compressed.gzip.is_none());
    }
}
