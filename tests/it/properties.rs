//! The promise that bad input gets messages, never a panic, tested on
//! inputs nobody wrote by hand: arbitrary bytes as fact files, the seed
//! facts and case folders mutated the ways spreadsheets and hurried hands
//! mangle files, arbitrary rule text, and the real rules mutated.
//!
//! Every test draws a fixed number of cases from a fixed seed (see
//! [`proptest_config`]), so the suite tests the same inputs on every run
//! and stays within its time budget; a failure shrinks to the smallest
//! input that still fails.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::{select, Index};

use silsila::dl::syntax::DeclKind;
use silsila::{conclusion, eval, render, rules, schema, Severity};

use crate::support::{csv_files, fact_folders, proptest_config, Scratch};

/// How long checking one small folder may take. Checking any of these
/// folders takes milliseconds; this catches work that grows with the square
/// of a cell's length, not a slow machine.
const TIME_LIMIT: Duration = Duration::from_secs(10);

/// Pieces that matter to a CSV reader, a date or number parser, a name
/// matcher or the header matcher.
const PIECES: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\r",
    b" ",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFF",
    b"\xC3",
    b"\xED\xA0\x80",
    b"\xE2\x80\x9C",
    b"\x00",
    b"2022",
    b"2022-11",
    b"2022-02-30",
    b"03/04/2022",
    b"0000",
    b"9999-12-31",
    b"confirmed",
    b"5",
    b"tna-2022-11",
    b"s1;s2",
    b"Jasim",
    b"Islamic State",
    b"x_",
    b"notes",
    b"=HYPERLINK(\"x\")",
];

/// Garbage biased towards the bytes that steer parsing.
fn garbage(max: usize) -> impl Strategy<Value = Vec<u8>> {
    let chunk = prop_oneof![
        2 => any::<u8>().prop_map(|b| vec![b]),
        3 => select(PIECES).prop_map(<[u8]>::to_vec),
        1 => "[a-zA-Z_ ]{1,12}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(chunk, 0..max).prop_map(|chunks| chunks.concat())
}

/// One fact file's worth of garbage, under the header of the file it is
/// named as (or none), so that cells reach the parsers of their columns.
fn garbage_file() -> impl Strategy<Value = (String, Vec<u8>)> {
    let names: Vec<String> = schema::FILES
        .iter()
        .map(|f| f.file_name())
        .chain(["memberships.csv".to_string(), "Places.CSV".to_string()])
        .collect();
    (select(names), any::<bool>(), garbage(120)).prop_map(|(name, header, body)| {
        let mut bytes = Vec::new();
        if header {
            if let Some(file) = schema::file(name.trim_end_matches(".csv")) {
                let columns: Vec<&str> = file.columns.iter().map(|c| c.name).collect();
                bytes.extend(columns.join(",").as_bytes());
                bytes.push(b'\n');
            }
        }
        bytes.extend(body);
        (name, bytes)
    })
}

/// One way a file gets mangled. Positions are [`Index`]es, taken modulo
/// whatever they index, and shrink towards the start.
#[derive(Clone, Debug)]
enum Edit {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// XORs a byte with a non-zero mask.
    FlipByte(Index, u8),
    DeleteBytes(Index, usize),
    Insert(Index, &'static [u8]),
    /// A cell as long as a spreadsheet allows (Excel: 32,767 characters).
    LongField(Index, usize),
    /// Every comma becomes this delimiter, quoted or not.
    Delimiter(u8),
    Crlf,
    Bom,
    /// The header cell at this position loses its name.
    EmptyHeaderCell(Index),
    /// The header names one column twice.
    DuplicateHeaderCell(Index, Index),
    /// The file is cut short here.
    Truncate(Index),
    /// The file goes missing.
    Remove,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::DeleteLine),
        1 => any::<Index>().prop_map(Edit::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Edit::FlipByte(at, mask)),
        1 => (any::<Index>(), 1..20usize).prop_map(|(at, n)| Edit::DeleteBytes(at, n)),
        3 => (any::<Index>(), select(PIECES)).prop_map(|(at, p)| Edit::Insert(at, p)),
        1 => (any::<Index>(), 1..40_000usize).prop_map(|(at, n)| Edit::LongField(at, n)),
        1 => select(&b";\t"[..]).prop_map(Edit::Delimiter),
        1 => Just(Edit::Crlf),
        1 => Just(Edit::Bom),
        1 => any::<Index>().prop_map(Edit::EmptyHeaderCell),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::DuplicateHeaderCell(a, b)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        1 => Just(Edit::Remove),
    ]
}

/// Applies `edit` to a file's bytes; `None` when the file is removed.
fn apply(edit: &Edit, bytes: Vec<u8>) -> Option<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let mut bytes = bytes;
    let joined = |lines: Vec<Vec<u8>>| lines.concat();
    let header_cells = |lines: &[Vec<u8>]| -> Vec<Vec<u8>> {
        let header = lines.first().map_or(&[][..], |l| l.as_slice());
        let header = header.strip_suffix(b"\n").unwrap_or(header);
        header.split(|&b| b == b',').map(<[u8]>::to_vec).collect()
    };
    Some(match edit {
        Edit::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i.index(lines.len()));
            joined(lines)
        }
        Edit::DuplicateLine(i) if !lines.is_empty() => {
            let i = i.index(lines.len());
            let mut line = lines[i].clone();
            if !line.ends_with(b"\n") {
                line.push(b'\n');
                lines[i].splice(0..0, line);
            } else {
                lines.insert(i, line);
            }
            joined(lines)
        }
        Edit::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            joined(lines)
        }
        Edit::FlipByte(at, mask) if !bytes.is_empty() => {
            let at = at.index(bytes.len());
            bytes[at] ^= mask;
            bytes
        }
        Edit::DeleteBytes(at, n) if !bytes.is_empty() => {
            let at = at.index(bytes.len());
            let end = (at + n).min(bytes.len());
            bytes.drain(at..end);
            bytes
        }
        Edit::Insert(at, piece) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, piece.iter().copied());
            bytes
        }
        Edit::LongField(at, n) => {
            let at = at.index(bytes.len() + 1);
            bytes.splice(at..at, std::iter::repeat_n(b'x', *n));
            bytes
        }
        Edit::Delimiter(d) => bytes
            .into_iter()
            .map(|b| if b == b',' { *d } else { b })
            .collect(),
        Edit::Crlf => bytes
            .into_iter()
            .flat_map(|b| {
                if b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![b]
                }
            })
            .collect(),
        Edit::Bom => [b"\xEF\xBB\xBF".as_slice(), &bytes].concat(),
        Edit::EmptyHeaderCell(i) if !lines.is_empty() => {
            let mut cells = header_cells(&lines);
            let i = i.index(cells.len());
            cells[i].clear();
            lines[0] = [cells.join(&b','), b"\n".to_vec()].concat();
            joined(lines)
        }
        Edit::DuplicateHeaderCell(a, b) if !lines.is_empty() => {
            let mut cells = header_cells(&lines);
            let (a, b) = (a.index(cells.len()), b.index(cells.len()));
            cells[b] = cells[a].clone();
            lines[0] = [cells.join(&b','), b"\n".to_vec()].concat();
            joined(lines)
        }
        Edit::Truncate(at) => {
            bytes.truncate(at.index(bytes.len() + 1));
            bytes
        }
        Edit::Remove => return None,
        _ => bytes,
    })
}

/// Writes `files` into a fresh folder and checks it: it must give every
/// problem with its place, and, when there is no error, facts on which the
/// rules run and every conclusion renders. Returns whether the facts
/// loaded.
fn check_folder(name: &str, files: &[(String, Vec<u8>)]) -> Result<bool, TestCaseError> {
    let scratch = Scratch::new(name);
    for (file, bytes) in files {
        scratch.write(file, bytes);
    }
    let started = Instant::now();
    let checked = silsila::check(Path::new(scratch.path()));
    let elapsed = started.elapsed();
    prop_assert!(elapsed < TIME_LIMIT, "checking took {elapsed:?}");
    let (loaded, problems) = match checked {
        Ok(checked) => checked,
        Err(error) => return Err(TestCaseError::fail(format!("not a report: {error}"))),
    };
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    prop_assert_eq!(loaded.is_some(), errors == 0, "facts only without errors");
    // Every problem points into the folder, at a line of its file, and
    // they come file by file, line by line.
    let mut files_seen: Vec<&str> = Vec::new();
    let mut last_line = 0;
    for problem in &problems {
        let shown = problem.to_string();
        prop_assert!(shown.starts_with(scratch.path()), "{}", shown);
        if let Some(line) = problem.line {
            let name = Path::new(&problem.file).file_name().unwrap();
            let (_, bytes) = files.iter().rev().find(|(f, _)| **f == *name).unwrap();
            let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
            prop_assert!(
                (1..=lines).contains(&(line as usize)),
                "{} lines: {}",
                lines,
                shown
            );
        }
        if files_seen.last() != Some(&problem.file.as_str()) {
            prop_assert!(
                !files_seen.contains(&problem.file.as_str()),
                "out of order: {}",
                shown
            );
            files_seen.push(&problem.file);
            last_line = 0;
        }
        let line = problem.line.unwrap_or(0);
        prop_assert!(line >= last_line, "out of order: {}", shown);
        last_line = line;
    }
    let Some(loaded) = loaded else {
        return Ok(false);
    };
    let model = eval::run(&loaded, &eval::Options::default())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let checked = rules::rules().map_err(|e| TestCaseError::fail(e.to_string()))?;
    let outputs: Vec<usize> = (0..checked.relations.len())
        .filter(|&i| checked.relations[i].kind == DeclKind::Output)
        .collect();
    let tables = conclusion::tables(&loaded, checked, &model, &outputs);
    let _ = render::text(&tables);
    let _ = render::json(&tables);
    for table in &tables {
        render::write_csv(table, std::io::sink())
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
    Ok(true)
}

proptest! {
    #![proptest_config(proptest_config(200))]

    #[test]
    fn loading_never_panics_on_arbitrary_bytes(
        files in prop::collection::vec(garbage_file(), 0..6)
    ) {
        check_folder("garbage", &files)?;
    }
}

/// The seed facts and the case folders, each case a few edits to their
/// files: the edits spreadsheets and hurried hands make.
#[test]
fn loading_never_panics_on_mutated_folders() {
    let folders: Vec<Vec<(String, Vec<u8>)>> = fact_folders()
        .iter()
        .map(|(_, folder, _)| csv_files(folder))
        .collect();
    let loaded = AtomicU32::new(0);
    let cases = AtomicU32::new(0);
    let strategy = (
        select((0..folders.len()).collect::<Vec<_>>()),
        prop::collection::vec((any::<Index>(), edit()), 1..6),
    );
    let mut runner = proptest::test_runner::TestRunner::new(proptest_config(300));
    let result = runner.run(&strategy, |(folder, edits)| {
        let mut files = folders[folder].clone();
        for (file, edit) in &edits {
            if files.is_empty() {
                break;
            }
            let i = file.index(files.len());
            match apply(edit, std::mem::take(&mut files[i].1)) {
                Some(bytes) => files[i].1 = bytes,
                None => {
                    files.remove(i);
                }
            }
        }
        cases.fetch_add(1, Ordering::Relaxed);
        if check_folder("mutated", &files)? {
            loaded.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    // Mutations mostly make errors; enough must load that the rules, the
    // explainer and the renderers see mangled facts too.
    let (loaded, cases) = (loaded.into_inner(), cases.into_inner());
    assert!(
        loaded * 5 >= cases,
        "only {loaded} of {cases} mutated folders loaded"
    );
}

/// The rule files as shipped, as (path as shown, text), in file-name order.
fn rule_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "dl"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (
                format!("rules/{name}"),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Tokens of the rule language and what trips a lexer.
const TOKENS: &[&str] = &[
    "(",
    ")",
    ",",
    ".",
    ":",
    ":-",
    "!",
    "!=",
    "=",
    "<",
    "_",
    "\"",
    "\"merger\"",
    "\"\"",
    "%",
    "% name: a reason\n",
    "\n",
    "\r\n",
    " ",
    ".input",
    ".decl",
    ".output",
    ".x",
    "key(",
    "entity",
    "date",
    "word",
    "place",
    "event",
    "run",
    "overlaps(",
    "known(",
    "descends_from",
    "x",
    "é",
    "\u{0}",
    "\r",
    "\u{2028}",
    "\u{FEFF}",
    "1",
];

/// Every error names a given file and a line inside it, and reads as the
/// style asks: `rules/x.dl:LINE: message`, lowercase, no trailing period.
fn check_rules(files: &[(String, String)]) -> Result<(), TestCaseError> {
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let Err(errors) = silsila::dl::check::compile(&borrowed) else {
        return Ok(());
    };
    prop_assert!(!errors.is_empty(), "a failed compile says why");
    for error in &errors {
        let shown = error.to_string();
        let Some((file, text)) = files.iter().find(|(name, _)| *name == error.loc.file) else {
            return Err(TestCaseError::fail(format!("no such file: {shown}")));
        };
        let lines = u32::try_from(text.lines().count().max(1)).unwrap();
        prop_assert!(
            (1..=lines).contains(&error.loc.line),
            "past line {}: {}",
            lines,
            shown
        );
        let message = format!("{file}:{}: {}", error.loc.line, error.message);
        prop_assert_eq!(&shown, &message);
        prop_assert!(!error.message.is_empty(), "{}", shown);
        prop_assert!(!error.message.ends_with('.'), "{}", shown);
        prop_assert!(!error.message.starts_with(char::is_uppercase), "{}", shown);
    }
    Ok(())
}

/// One way a rules file gets mangled; positions count characters.
#[derive(Clone, Debug)]
enum RuleEdit {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    DeleteChars(Index, usize),
    Insert(Index, &'static str),
    /// The word at a position becomes another word of the rules.
    ReplaceWord(Index, Index),
}

fn rule_edit() -> impl Strategy<Value = RuleEdit> {
    prop_oneof![
        any::<Index>().prop_map(RuleEdit::DeleteLine),
        any::<Index>().prop_map(RuleEdit::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| RuleEdit::SwapLines(a, b)),
        (any::<Index>(), 1..12usize).prop_map(|(at, n)| RuleEdit::DeleteChars(at, n)),
        (any::<Index>(), select(TOKENS)).prop_map(|(at, t)| RuleEdit::Insert(at, t)),
        (any::<Index>(), any::<Index>()).prop_map(|(at, w)| RuleEdit::ReplaceWord(at, w)),
    ]
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn apply_rule_edit(edit: &RuleEdit, text: &str, words: &[String]) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut chars: Vec<char> = text.chars().collect();
    match edit {
        RuleEdit::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i.index(lines.len()));
            lines.concat()
        }
        RuleEdit::DuplicateLine(i) if !lines.is_empty() => {
            let i = i.index(lines.len());
            let line = lines[i].trim_end_matches('\n').to_string() + "\n";
            let mut text: String = lines[..i].concat();
            text.push_str(&line);
            text.push_str(&lines[i..].concat());
            text
        }
        RuleEdit::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.concat()
        }
        RuleEdit::DeleteChars(at, n) if !chars.is_empty() => {
            let at = at.index(chars.len());
            chars.drain(at..(at + n).min(chars.len()));
            chars.into_iter().collect()
        }
        RuleEdit::Insert(at, token) => {
            let at = at.index(chars.len() + 1);
            chars.splice(at..at, token.chars());
            chars.into_iter().collect()
        }
        RuleEdit::ReplaceWord(at, word) if !chars.is_empty() => {
            let mut start = at.index(chars.len());
            while start < chars.len() && !is_word_char(chars[start]) {
                start += 1;
            }
            while start > 0 && is_word_char(chars[start - 1]) {
                start -= 1;
            }
            let mut end = start;
            while end < chars.len() && is_word_char(chars[end]) {
                end += 1;
            }
            chars.splice(start..end, word.get(words).chars());
            chars.into_iter().collect()
        }
        _ => text.to_string(),
    }
}

/// Rule text as tokens and stray characters run together.
fn rule_garbage() -> impl Strategy<Value = String> {
    let chunk = prop_oneof![
        3 => select(TOKENS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z_]{1,8}",
    ];
    prop::collection::vec(chunk, 0..60).prop_map(|chunks| chunks.concat())
}

proptest! {
    #![proptest_config(proptest_config(1000))]

    #[test]
    fn rules_never_panic_on_arbitrary_text(text in rule_garbage()) {
        check_rules(&[("rules/x.dl".to_string(), text)])?;
    }
}

#[test]
fn rules_never_panic_when_the_real_rules_are_mutated() {
    let files = rule_files();
    let all: String = files.iter().map(|(_, text)| text.as_str()).collect();
    let mut words: Vec<String> = all
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    words.sort();
    words.dedup();
    let shipped: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    assert!(
        silsila::dl::check::compile(&shipped).is_ok(),
        "the shipped rules compile"
    );
    let strategy = prop::collection::vec((any::<Index>(), rule_edit()), 1..5);
    let mut runner = proptest::test_runner::TestRunner::new(proptest_config(1000));
    let result = runner.run(&strategy, |edits| {
        let mut files = files.clone();
        for (file, edit) in &edits {
            let i = file.index(files.len());
            files[i].1 = apply_rule_edit(edit, &files[i].1, &words);
        }
        check_rules(&files)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
