//! Sorting for every list of the app, through one sorting routine.
//!
//! The standard library's sort is generic: it is compiled again for each
//! item type and each comparison, 2–3 KB of the phone's WASM every time
//! (seven lists cost 23 KB, docs/benchmarks.md). Here the items' positions
//! are sorted instead — one compiled sort of `usize` with the comparison
//! behind a `dyn` — and the items are then moved into that order.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in their order (like
/// `slice::sort_by`).
pub fn sort_stable_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    move_into_order(items, order);
}

/// The positions `0..len`, sorted stably by `compare`. Never inlined: its
/// sort is the one every list shares.
#[inline(never)]
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Moves the item at `order[i]` to `i`, for every `i`, following each cycle
/// of the permutation with swaps (no item is copied).
fn move_into_order<T>(items: &mut [T], mut order: Vec<usize>) {
    const PLACED: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        // `items[at]` is still the item first at `start`, until the cycle closes.
        while order[at] != PLACED {
            let from = order[at];
            order[at] = PLACED;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same order as the standard library's stable sort, ties included,
    /// on lists of every length up to 40 with many ties (pseudo-random, fixed seed).
    #[test]
    fn sorts_as_the_standard_library_does() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as u32
        };
        for len in 0..=40 {
            for _ in 0..50 {
                // (key with ties, where it stood): equal keys must keep their order.
                let items: Vec<(u32, usize)> = (0..len).map(|at| (next() % 5, at)).collect();
                let mut ours = items.clone();
                sort_stable_by(&mut ours, |a, b| a.0.cmp(&b.0));
                let mut theirs = items;
                theirs.sort_by_key(|a| a.0);
                assert_eq!(ours, theirs);
            }
        }
    }

    #[test]
    fn sorts_items_that_cannot_be_copied() {
        let mut names = vec!["Chi".to_owned(), "An".to_owned(), "Bình".to_owned()];
        sort_stable_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["An", "Bình", "Chi"]);
    }
}
