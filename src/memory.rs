//! How tenken tunes the C library's allocator (glibc on Linux; elsewhere
//! these do nothing). Between the phases of a run (scanning, then writing
//! the checklist and the report) the memory one phase freed is handed back,
//! so that a run's peak is the largest phase's, not their sum with the
//! fragments each leaves behind.

/// Serves every allocation of `MMAP_THRESHOLD` bytes or more by its own
/// mapping, returned to the system when freed, and caps glibc's malloc
/// arenas at `arenas` when given (one per core for `tenken index`).
///
/// The fixed threshold: glibc raises its threshold to the size of every
/// large block freed (up to 32 MB), after which a file's text, a page of
/// the report or a spooled 例規 is carved from an arena and its room is
/// kept after it is freed. On all of `../shared/corpus` (2 cores) the
/// threshold took the peak of `scan` from 167 to 134–143 MB.
///
/// The arena cap: `tenken index` runs a dozen threads (readers, per-file
/// workers, tantivy's indexing and merging); with glibc's default of up to
/// eight arenas per core their fragmentation made the peak heap grow with
/// the corpus (2.1 GB of files: 474 to 670 MB; with the cap 404 MB, against
/// 378 MB for 250 MB of files; two arenas per core: 518 MB). The price is
/// about 10% of indexing speed on 2 cores.
pub fn tune_allocator(arenas: Option<usize>) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets tuning parameters of the allocator; it is
    // called before any thread of ours starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        if let Some(arenas) = arenas {
            let arenas = libc::c_int::try_from(arenas.max(2)).unwrap_or(libc::c_int::MAX);
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = arenas;
}

/// Allocations of at least this many bytes get their own mapping.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Hands the free memory of every arena back to the system (between phases).
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is safe at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
