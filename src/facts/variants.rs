//! Names that are likely one name written two ways: a misspelling one edit
//! away (`Jassim Ali` beside `Jasim Ali`), or another transliteration of
//! an Arabic name (`Hurras al-Deen` beside `Hurras al-Din`, `Qasim` beside
//! `Kassem`). Each is a warning with the alias that would join them.
//!
//! Both passes are near-linear in the names: misspellings are found through
//! an index of single-character deletions whose work per name is bounded,
//! transliterations by grouping names under a key in a hash map. Neither
//! compares every name with every other.

use rustc_hash::{FxHashMap, FxHashSet};

use super::names::name_key;
use super::{Facts, Origin, Symbol, Value};
use crate::error::Problem;

/// Every warning about names that look like one name written two ways,
/// naming `aliases` (how messages call `aliases.csv`) as the place to join
/// them.
pub(super) fn lint(facts: &Facts, aliases: &str, warnings: &mut Vec<Problem>) {
    let names = compared_names(facts);
    // The names warned of as misspellings, which are not warned of again.
    let mut reported = FxHashSet::default();
    misspellings(facts, &names, aliases, &mut reported, warnings);
    transliterations(facts, &names, aliases, &reported, warnings);
}

/// A name used in a name column, with its key as characters.
struct Name<'f> {
    symbol: Symbol,
    key: Vec<char>,
    /// How many cells name it.
    uses: u32,
    /// Its first use, and the column of that use.
    first: &'f Origin,
    column: &'static str,
}

impl Name<'_> {
    fn uses_text(&self) -> String {
        let noun = if self.uses == 1 { "use" } else { "uses" };
        format!("{} {noun}", self.uses)
    }
}

/// Whether a name's key is compared with others. Short names (IS, HTS)
/// differ by one letter legitimately. A name's index entries cost its
/// length, and its comparisons the square of it, so a cell holding a pasted
/// paragraph (a spreadsheet allows 32,767 characters) is left out; no name
/// is that long.
fn compared(key: &[char]) -> bool {
    (4..=LONGEST_COMPARED).contains(&key.len())
}

/// The longest name compared, in characters.
const LONGEST_COMPARED: usize = 100;

/// Every name used in a name column whose key is [`compared`], in symbol
/// (alphabetical) order.
fn compared_names(facts: &Facts) -> Vec<Name<'_>> {
    let mut at: FxHashMap<Symbol, usize> = FxHashMap::default();
    let mut names: Vec<Name> = Vec::new();
    for table in &facts.tables {
        let columns: Vec<_> = table.file.rule_columns().collect();
        for row in &table.rows {
            for (column, value) in columns.iter().zip(&row.values) {
                let (true, Value::Name(symbol)) = (column.kind.is_name(), value) else {
                    continue;
                };
                if symbol.is_empty() {
                    continue;
                }
                match at.get(symbol) {
                    Some(&index) => names[index].uses += 1,
                    None => {
                        at.insert(*symbol, names.len());
                        names.push(Name {
                            symbol: *symbol,
                            key: name_key(facts.names.resolve(*symbol)).chars().collect(),
                            uses: 1,
                            first: &row.origin,
                            column: column.name,
                        });
                    }
                }
            }
        }
    }
    names.retain(|name| compared(&name.key));
    names.sort_by_key(|name| name.symbol);
    names
}

/// The parts of two keys that differ when they are one edit apart (one
/// insertion, deletion, substitution or transposition of neighbours), once
/// their common beginning and end are cut off; `None` when they are equal
/// or further apart. Linear in the keys' length.
fn one_edit<'k>(a: &'k [char], b: &'k [char]) -> Option<(&'k [char], &'k [char])> {
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return None;
    }
    let shorter = a.len().min(b.len());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(shorter - prefix)
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let one = match (a, b) {
        ([], [_]) | ([_], []) | ([_], [_]) => true,
        ([p, q], [r, s]) => p == s && q == r,
        _ => false,
    };
    one.then_some((a, b))
}

/// Whether two keys one edit apart are different names by design: they
/// differ only in digits (`Brigade 17`, `Brigade 18`, `Entity number
/// 0000001`, `Entity number 0000002`), or in a word of one letter (`Cell
/// A`, `Cell E`). Numbers and letters used as labels name things apart, so
/// such names are never misspellings of one another.
fn different_by_design(a: &[char], b: &[char]) -> bool {
    let Some((da, db)) = one_edit(a, b) else {
        return false;
    };
    if da.iter().chain(db).all(|c| c.is_numeric()) {
        return true;
    }
    // A label: a substitution whose neighbours are spaces or the ends.
    let at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let space = |i: Option<usize>| i.and_then(|i| a.get(i)).is_none_or(|&c| c == ' ');
    da.len() == 1 && db.len() == 1 && space(at.checked_sub(1)) && space(Some(at + 1))
}

/// Writes into `hashes` the hash of `chars` and of `chars` without each
/// one of its characters, each with its flag (see [`misspellings`]), in
/// time linear in its length: a polynomial hash of the text before the
/// character taken out and one of the text after it combine into the
/// hash of the whole without it. A collision only makes a candidate, which
/// is confirmed on the text.
fn variant_hashes(chars: &[char], at: u32, hashes: &mut Vec<(u64, u32)>) {
    const BASE: u64 = 0x9E37_79B9_7F4A_7C15;
    let n = chars.len();
    let letter = |c: char| u64::from(c) + 1;
    // before[i]: the hash of chars[..i]; after[j]: of chars[j..], with
    // its last character at the lowest power, as in the whole.
    let mut before = Vec::with_capacity(n + 1);
    before.push(0u64);
    for &c in chars {
        let last = before[before.len() - 1];
        before.push(last.wrapping_mul(BASE).wrapping_add(letter(c)));
    }
    let mut after = vec![0u64; n + 1];
    let mut power = 1u64;
    let mut powers = vec![1u64; n + 1];
    for j in (0..n).rev() {
        after[j] = after[j + 1].wrapping_add(letter(chars[j]).wrapping_mul(power));
        powers[n - j] = power.wrapping_mul(BASE);
        power = powers[n - j];
    }
    hashes.clear();
    hashes.push((before[n], at << 1 | 1));
    for (skip, c) in chars.iter().enumerate() {
        let hash = before[skip]
            .wrapping_mul(powers[n - 1 - skip])
            .wrapping_add(after[skip + 1]);
        hashes.push((hash, at << 1 | u32::from(c.is_numeric())));
    }
}

/// The most names one deletion bucket may hold and still be searched.
///
/// The names in one bucket all read the same once one character is taken
/// out, so a bucket of more than this many is a family of names that
/// differ at one place by design (`Sector A` … `Sector Z`, `Cell Alpha`,
/// `Cell Aleph`, …), where one more member is no sign of a misspelling.
/// Comparing each member with each would cost the square of the family;
/// passing such buckets over bounds the work per name by its length times
/// this number, whatever the folder holds.
const LARGEST_BUCKET: usize = 16;

/// A name used once whose key is one edit from another name's (and not
/// only in digits) is likely a misspelling that wants an alias. Candidates
/// come from an index of the hashes of each key and its single-character
/// deletions, which puts every two keys within one insertion, deletion,
/// substitution or transposition in a common bucket; each candidate is
/// then confirmed on the text. Of several, the most used name is named.
fn misspellings(
    facts: &Facts,
    names: &[Name],
    aliases: &str,
    reported: &mut FxHashSet<(Symbol, Symbol)>,
    warnings: &mut Vec<Problem>,
) {
    // One flat, sorted index rather than a map of buckets: a million names
    // of twenty letters make twenty million entries, and a vector of pairs
    // holds them in a fraction of the memory.
    // Each entry is a hash and a name's position, shifted left by one to
    // make room for a flag: whether the character taken out is a digit
    // (or none is). Two names that read the same once a digit is taken out
    // of each differ only in their numbers, so they are never compared.
    let mut index: Vec<(u64, u32)> = Vec::new();
    let mut hashes: Vec<(u64, u32)> = Vec::new();
    for (at, name) in names.iter().enumerate() {
        let Some(at) = u32::try_from(at).ok().filter(|&at| at < u32::MAX >> 1) else {
            break;
        };
        variant_hashes(&name.key, at, &mut hashes);
        // A run of one character gives the same variant for each of its
        // characters; one entry is enough.
        hashes.sort_unstable();
        hashes.dedup_by_key(|&mut (hash, _)| hash);
        index.extend_from_slice(&hashes);
    }
    index.sort_unstable();
    // For each name used once, the names one edit from it, by index.
    let mut near: Vec<(u32, u32)> = Vec::new();
    for bucket in index.chunk_by(|a, b| a.0 == b.0) {
        if bucket.len() > LARGEST_BUCKET {
            continue;
        }
        for &(_, once_entry) in bucket {
            let once = once_entry >> 1;
            let Some(name) = names.get(once as usize).filter(|n| n.uses == 1) else {
                continue;
            };
            for &(_, other_entry) in bucket {
                let other = other_entry >> 1;
                if once_entry & other_entry & 1 == 1 {
                    continue;
                }
                let Some(other_name) = names.get(other as usize) else {
                    continue;
                };
                if one_edit(&name.key, &other_name.key).is_some()
                    && !different_by_design(&name.key, &other_name.key)
                {
                    near.push((once, other));
                }
            }
        }
    }
    near.sort_unstable();
    near.dedup();
    for candidates in near.chunk_by(|a, b| a.0 == b.0) {
        let name = &names[candidates[0].0 as usize];
        // The most used, then the first in alphabetical order.
        let Some(other) = candidates
            .iter()
            .map(|&(_, other)| &names[other as usize])
            .min_by_key(|other| (std::cmp::Reverse(other.uses), other.symbol))
        else {
            continue;
        };
        // Two names used once each are one warning, not two.
        if !reported.insert(pair(name.symbol, other.symbol)) {
            continue;
        }
        warnings.push(Problem::warning(
            &name.first.file,
            Some(name.first.line),
            Some(name.column),
            format!(
                "{:?} appears once and nearly matches {:?} ({}); if they are the same, add an alias to {aliases}",
                facts.names.resolve(name.symbol),
                facts.names.resolve(other.symbol),
                other.uses_text(),
            ),
        ));
    }
}

/// Names whose transliteration keys meet are likely one Arabic name
/// romanised two ways: each is warned of at its first use, with the alias
/// that would make it the most used spelling of its group (the first in
/// alphabetical order on a tie). A name already warned of as a misspelling
/// is not warned of again.
fn transliterations(
    facts: &Facts,
    names: &[Name],
    aliases: &str,
    reported: &FxHashSet<(Symbol, Symbol)>,
    warnings: &mut Vec<Problem>,
) {
    // Names are joined when they share any key (a name with an ambiguous
    // `e` has more than one). A key is stood for by a 128-bit hash, so that
    // millions of keys need no string each; two keys that share one would
    // join two names by mistake, which at one chance in 2^128 per pair does
    // not happen. Sorting the hashes puts each key's names side by side.
    let mut keyed: Vec<(u128, u32)> = Vec::new();
    for (at, name) in names.iter().enumerate() {
        let Ok(at) = u32::try_from(at) else {
            break;
        };
        let key: String = name.key.iter().collect();
        keyed.extend(transliteration_keys(&key).iter().map(|k| (key_hash(k), at)));
    }
    keyed.sort_unstable();
    // A union-find over positions; the smaller position roots a group, so
    // groups do not depend on the order keys are met in.
    let mut parent: Vec<u32> = (0..names.len() as u32).collect();
    fn root(parent: &mut [u32], mut at: u32) -> u32 {
        while parent[at as usize] != at {
            parent[at as usize] = parent[parent[at as usize] as usize];
            at = parent[at as usize];
        }
        at
    }
    let mut joined: Vec<u32> = Vec::new();
    for same_key in keyed.chunk_by(|a, b| a.0 == b.0) {
        let first = same_key[0].1;
        for &(_, at) in &same_key[1..] {
            if at == first {
                continue;
            }
            let (a, b) = (root(&mut parent, first), root(&mut parent, at));
            parent[a.max(b) as usize] = a.min(b);
            joined.extend([first, at]);
        }
    }
    let mut members: Vec<(u32, u32)> = joined
        .iter()
        .map(|&at| (root(&mut parent, at), at))
        .collect();
    members.sort_unstable();
    members.dedup();
    let groups: Vec<Vec<usize>> = members
        .chunk_by(|a, b| a.0 == b.0)
        .map(|group| group.iter().map(|&(_, at)| at as usize).collect())
        .filter(|group: &Vec<usize>| group.len() > 1)
        .collect();
    for group in groups {
        let Some(&target) = group
            .iter()
            .min_by_key(|&&at| (std::cmp::Reverse(names[at].uses), names[at].symbol))
        else {
            continue;
        };
        let target = &names[target];
        for &at in &group {
            let name = &names[at];
            // A pair already warned of as a misspelling is not warned twice.
            if name.symbol == target.symbol || reported.contains(&pair(name.symbol, target.symbol))
            {
                continue;
            }
            let (spelling, canonical) = (
                facts.names.resolve(name.symbol),
                facts.names.resolve(target.symbol),
            );
            warnings.push(Problem::warning(
                &name.first.file,
                Some(name.first.line),
                Some(name.column),
                format!(
                    "{spelling:?} ({}) and {canonical:?} ({}) look like one name transliterated two ways; if they are the same, add an alias to {aliases}: {},{}",
                    name.uses_text(),
                    target.uses_text(),
                    csv_field(spelling),
                    csv_field(canonical),
                ),
            ));
        }
    }
}

/// A 128-bit hash of a key: two 64-bit hashes of it with different
/// multipliers side by side.
/// Two names as an unordered pair.
fn pair(a: Symbol, b: Symbol) -> (Symbol, Symbol) {
    (a.min(b), a.max(b))
}

fn key_hash(key: &str) -> u128 {
    let hash = |base: u64| {
        key.bytes().fold(0u64, |h, b| {
            (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(base)
        })
    };
    u128::from(hash(0x51_7C_C1_B7_27_22_0A_95)) << 64 | u128::from(hash(0x9E37_79B9_7F4A_7C15))
}

/// A value as a CSV field: quoted when it holds a comma, quote or line
/// break, so the suggested row can be pasted as it is.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The most keys one name is given for its ambiguous `e`s.
const MOST_KEYS: usize = 16;

/// The transliteration keys of a name key (see [`name_key`]): what is left
/// of each word once the differences between common romanisations of one
/// Arabic spelling are folded away, and only those:
///
/// - letters lose their accents, and the marks for ʿayn and hamza (`'`,
///   `ʿ`, `ʾ`) are dropped;
/// - the article is ignored: `al`, `el` as words, and `al-`, `el-`, `ul-`,
///   `il-` and their assimilated forms (`ad-`, `ash-`, `ez-`, …) before a
///   hyphen;
/// - `q` is `k`, `ck` is `k`, `dj` is `j`, `ph` is `f`, while `kh` stays a
///   letter of its own (Khalid is no Qalid);
/// - the short vowels fold to three: `a` (fatha), `i`, `ee` (kasra), `o`,
///   `u`, `ou`, `oo` (damma), and the diphthong `ay`, `ai`, `ey`, `ei` to
///   one; a lone `e` is written for fatha and kasra alike, so it gives a
///   key for each (up to [`MOST_KEYS`]; past that it is read as fatha);
///   any other run of vowels, such as the hiatus in `Said`, is kept as
///   written;
/// - a final `h` after a vowel (ta marbuta: Hamzah, Hamza) is dropped;
/// - doubled letters are single (Hassan, Hasan).
///
/// A word of one letter (`Cell A`, `Cell E`) is a label and kept as it is,
/// as are digits, so names that differ in a label or a number never meet;
/// nor do different words (`Cell East`, `Cell West`).
fn transliteration_keys(key: &str) -> Vec<String> {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mark = |c: char| matches!(c, '\'' | '\u{02BF}' | '\u{02BE}');
    let plain: Vec<char> = if key.is_ascii() {
        key.chars().filter(|&c| !mark(c)).collect()
    } else {
        key.nfd()
            .filter(|&c| !is_combining_mark(c) && !mark(c))
            .collect()
    };
    let mut readings = vec![String::with_capacity(plain.len())];
    for word in words(&plain) {
        if !readings[0].is_empty() {
            readings.iter_mut().for_each(|r| r.push(' '));
        }
        push_word(&mut readings, word);
    }
    readings.sort_unstable();
    readings.dedup();
    readings
}

/// The words of a name without its articles: split at spaces and hyphens,
/// with `al`, `el` dropped wherever they stand and the article's other
/// forms dropped before a hyphen.
fn words(name: &[char]) -> impl Iterator<Item = &[char]> {
    const BEFORE_HYPHEN: &[&str] = &[
        "al", "el", "il", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed",
        "en", "er", "es", "esh", "et", "ez",
    ];
    let is = |word: &[char], text: &str| word.iter().copied().eq(text.chars());
    let mut rest = name;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let end = rest.iter().position(|&c| c == ' ' || c == '-');
        let (word, hyphen, after) = match end {
            Some(end) => (&rest[..end], rest[end] == '-', &rest[end + 1..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        rest = after;
        let article = is(word, "al")
            || is(word, "el")
            || (hyphen && BEFORE_HYPHEN.iter().any(|a| is(word, a)));
        if !word.is_empty() && !article {
            return Some(word);
        }
    })
}

/// Writes the readings of one word (see [`transliteration_keys`]) after
/// each of `readings`: one each, or two for each lone `e`, while there are
/// at most [`MOST_KEYS`].
fn push_word(readings: &mut Vec<String>, word: &[char]) {
    if word.len() == 1 {
        readings.iter_mut().for_each(|r| r.push(word[0]));
        return;
    }
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    let mut i = 0;
    while i < word.len() {
        let c = word[i];
        if !is_vowel(c) {
            let (letter, used) = match (c, word.get(i + 1)) {
                ('k', Some('h')) => ('x', 2),
                ('c', Some('k')) => ('k', 2),
                ('q', _) => ('k', 1),
                ('d', Some('j')) => ('j', 2),
                ('p', Some('h')) => ('f', 2),
                _ => (c, 1),
            };
            readings.iter_mut().for_each(|r| push_folded(r, letter));
            i += used;
            continue;
        }
        let mut end = i;
        while end < word.len() && is_vowel(word[end]) {
            end += 1;
        }
        // A y after a vowel closes a diphthong when no vowel follows it.
        let y = word.get(end) == Some(&'y') && !word.get(end + 1).is_some_and(|&c| is_vowel(c));
        let vowel = match (&word[i..end], y) {
            (['a'] | ['e'], true) => Some('Y'),
            (['a', 'i'] | ['e', 'i'], false) => Some('Y'),
            (['a'] | ['a', 'a'], false) => Some('A'),
            (['i'] | ['i', 'i'] | ['e', 'e'], false) => Some('I'),
            (['o'] | ['u'] | ['o', 'o'] | ['o', 'u'] | ['u', 'u'], false) => Some('U'),
            (['e'], false) => None,
            (run, _) => {
                // Kept as written, bracketed so it meets only itself.
                for r in readings.iter_mut() {
                    r.push('<');
                    r.extend(run);
                    r.push('>');
                }
                i = end;
                continue;
            }
        };
        match vowel {
            Some(vowel) => readings.iter_mut().for_each(|r| push_folded(r, vowel)),
            // A lone e: fatha or kasra.
            None if readings.len() * 2 <= MOST_KEYS => {
                let mut kasra = readings.clone();
                readings.iter_mut().for_each(|r| push_folded(r, 'A'));
                kasra.iter_mut().for_each(|r| push_folded(r, 'I'));
                readings.append(&mut kasra);
            }
            None => readings.iter_mut().for_each(|r| push_folded(r, 'A')),
        }
        i = end + usize::from(y);
        // Ta marbuta: a vowel and a final h, as in Hamzah.
        if i + 1 == word.len() && word[i] == 'h' {
            i += 1;
        }
    }
}

/// Writes `letter` after `reading`, a doubled letter once (but never a
/// digit: 11 is not 1).
fn push_folded(reading: &mut String, letter: char) {
    if !reading.ends_with(letter) || letter.is_numeric() {
        reading.push(letter);
    }
}

#[cfg(test)]
mod tests;
