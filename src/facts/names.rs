//! Names as small integer symbols, so that crepe's `Copy` relations can hold
//! them, and the rules by which two spellings are the same name.

use rustc_hash::FxHashMap;

/// An interned name or word. Cheap to copy, compare and hash; print it with
/// [`Interner::resolve`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(pub u32);

impl Symbol {
    /// The empty text: an empty optional cell.
    pub const EMPTY: Symbol = Symbol(0);

    /// Whether this is the empty text.
    pub fn is_empty(self) -> bool {
        self == Symbol::EMPTY
    }
}

/// Whether a character is invisible and carries no letter: zero-width
/// spaces and joiners, the byte-order mark, and directional marks,
/// embeddings, overrides and isolates. Names are matched without them.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{061C}'
            | '\u{00AD}'
    )
}

/// Whether an Arabic mark is folded away for matching: the harakat (short
/// vowels, tanwin, shadda, sukun and the like, U+064B–U+065F), the
/// superscript alef (U+0670) and the tatweel (U+0640), which writers add
/// or leave out freely.
fn is_arabic_fold(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// Whether a cell holds nothing but white space and invisible characters,
/// so that it is an empty value.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// The key under which two spellings count as the same name: Unicode NFC
/// (so composed and decomposed letters are one), invisible characters
/// ([`is_invisible`]) removed, Arabic harakat and tatweel folded away, case
/// folded, runs of white space collapsed to one space, typographic quotes
/// and apostrophes unified, surrounding space removed.
pub fn name_key(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Decompose first, so that marks composed into a letter are seen, drop
    // what is folded, then compose again. ASCII text (most names) is
    // composed already and holds nothing folded, so it skips the two passes.
    let normalised: String;
    let text = if text.is_ascii() {
        text
    } else {
        normalised = text
            .nfd()
            .filter(|&c| !is_invisible(c) && !is_arabic_fold(c))
            .nfc()
            .collect();
        &normalised
    };
    folded(text)
}

/// The key of a spelling as written: [`name_key`] without the Unicode
/// normalisation, so that two spellings of one name that differ only in
/// case, space or quotes share it, and two that differ in their characters
/// (composed or decomposed, invisible characters, harakat, tatweel) do not.
pub fn written_key(text: &str) -> String {
    folded(text)
}

/// What the differences between two written spellings of one name are,
/// for a message: each of composed and decomposed letters, invisible
/// characters, and harakat or tatweel that one has and the other lacks.
pub fn spelling_differences(a: &str, b: &str) -> Vec<&'static str> {
    use unicode_normalization::{is_nfc, UnicodeNormalization};
    let traits = |text: &str| {
        let stripped: String = text
            .chars()
            .filter(|&c| !is_invisible(c) && !is_arabic_fold(c))
            .collect();
        [
            !is_nfc(&stripped),
            text.chars().any(is_invisible),
            text.nfd().any(is_arabic_fold),
        ]
    };
    let (ta, tb) = (traits(a), traits(b));
    let names = [
        "composed and decomposed letters",
        "invisible characters (zero-width or directional)",
        "Arabic harakat or tatweel",
    ];
    let differing: Vec<&str> = (0..3)
        .filter(|&i| ta[i] != tb[i])
        .map(|i| names[i])
        .collect();
    if differing.is_empty() {
        (0..3)
            .filter(|&i| ta[i] || tb[i])
            .map(|i| names[i])
            .collect()
    } else {
        differing
    }
}

/// Case folded, runs of white space collapsed to one space, typographic
/// quotes and apostrophes unified, surrounding space removed.
fn folded(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{02BB}'
                | '`' | '\u{00B4}' => key.push('\''),
                '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => {
                    key.push('"')
                }
                _ => key.extend(c.to_lowercase()),
            }
        }
    }
    key
}

/// The display form of a spelling: surrounding space removed and inner runs
/// of white space collapsed, case and letters kept.
pub fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Maps names to symbols and back.
///
/// Symbols are handed out in order of first use; [`Symbol::EMPTY`] is always
/// the empty text. Each symbol has one display spelling.
#[derive(Debug, Clone)]
pub struct Interner {
    by_key: FxHashMap<String, Symbol>,
    display: Vec<String>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner::new()
    }
}

impl Interner {
    /// An interner that knows only the empty text.
    pub fn new() -> Interner {
        let mut by_key = FxHashMap::default();
        by_key.insert(String::new(), Symbol::EMPTY);
        Interner {
            by_key,
            display: vec![String::new()],
        }
    }

    /// The symbol for a text whose [`name_key`] is `key`, creating it with
    /// `display` as its spelling if it is new.
    pub fn intern_key(&mut self, key: String, display: &str) -> Symbol {
        if let Some(&symbol) = self.by_key.get(&key) {
            return symbol;
        }
        let symbol = Symbol(self.display.len() as u32);
        self.display.push(display.to_string());
        self.by_key.insert(key, symbol);
        symbol
    }

    /// The symbol for a name, matched through [`name_key`]. Loading interns
    /// through the loader, which also ranks spellings; tests call this.
    #[cfg(test)]
    pub fn intern(&mut self, text: &str) -> Symbol {
        let display = tidy(text);
        self.intern_key(name_key(text), &display)
    }

    /// The symbol for a name, if it has been interned.
    pub fn lookup(&self, text: &str) -> Option<Symbol> {
        self.by_key.get(&name_key(text)).copied()
    }

    /// The known name nearest to `text` when it is a likely typo of one
    /// (through the program's one "did you mean"), as its symbol; every
    /// spelling counts, aliases included.
    pub fn nearest(&self, text: &str) -> Option<Symbol> {
        let mut keys: Vec<&str> = self.by_key.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let key = name_key(text);
        let found = crate::suggest::nearest(&key, keys.iter().copied())?;
        self.by_key.get(found).copied()
    }

    /// Replaces the display spelling of a symbol.
    pub fn set_display(&mut self, symbol: Symbol, display: &str) {
        if let Some(slot) = self.display.get_mut(symbol.0 as usize) {
            *slot = display.to_string();
        }
    }

    /// The display spelling of a symbol.
    pub fn resolve(&self, symbol: Symbol) -> &str {
        self.display
            .get(symbol.0 as usize)
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Makes every spelling that finds a symbol in `redirects` find its
    /// target instead: an alias then looks up as its canonical name.
    pub fn redirect(&mut self, redirects: &FxHashMap<Symbol, Symbol>) {
        for symbol in self.by_key.values_mut() {
            if let Some(target) = redirects.get(symbol) {
                *symbol = *target;
            }
        }
    }

    /// Renumbers the symbols so that their order is the alphabetical order
    /// of their spellings (by [`name_key`], then as written), the empty text
    /// first. Returns the new symbol of each old one, indexed by the old.
    ///
    /// After this, comparing symbols compares names, so the rules' `a < b`
    /// and sorting by symbol both mean alphabetical order, and neither
    /// depends on the order rows were read in.
    pub fn sort(&mut self) -> Vec<Symbol> {
        let mut order: Vec<usize> = (0..self.display.len()).collect();
        let keys: Vec<String> = self.display.iter().map(|d| name_key(d)).collect();
        order.sort_by(|&a, &b| {
            (a != 0, &keys[a], &self.display[a]).cmp(&(b != 0, &keys[b], &self.display[b]))
        });
        let mut remap = vec![Symbol::EMPTY; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = Symbol(new as u32);
        }
        let mut display = vec![String::new(); order.len()];
        for (old, text) in self.display.drain(..).enumerate() {
            display[remap[old].0 as usize] = text;
        }
        self.display = display;
        for symbol in self.by_key.values_mut() {
            *symbol = remap[symbol.0 as usize];
        }
        remap
    }

    /// How many symbols there are, the empty text included.
    pub fn len(&self) -> usize {
        self.display.len()
    }

    /// Whether only the empty text is interned.
    pub fn is_empty(&self) -> bool {
        self.display.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_from_any_keyboard_share_one_key() {
        // Composed and decomposed, with and without zero-width characters,
        // directional marks, harakat and tatweel.
        assert_eq!(name_key("Jos\u{e9}"), name_key("Jose\u{301}"));
        assert_eq!(name_key("Abu\u{200B} Bakr"), name_key("Abu Bakr"));
        assert_eq!(name_key("\u{200F}Abu Bakr\u{202C}"), name_key("Abu Bakr"));
        assert_eq!(
            name_key("\u{645}\u{64f}\u{62d}\u{64e}\u{645}\u{651}\u{64e}\u{62f}"),
            name_key("\u{645}\u{62d}\u{645}\u{62f}")
        );
        assert_eq!(
            name_key("\u{645}\u{640}\u{62d}\u{645}\u{62f}"),
            name_key("\u{645}\u{62d}\u{645}\u{62f}")
        );
        assert_ne!(name_key("Jose"), name_key("Jos\u{e9}"));
        assert_eq!(name_key("\u{200B}\u{200D} "), "");
        assert!(is_blank(" \u{200B}\u{FEFF}"));
        assert!(!is_blank(" a "));
    }

    #[test]
    fn spellings_that_differ_in_case_space_or_quotes_are_one_name() {
        let mut names = Interner::new();
        let a = names.intern("Khalid ibn al-Walid Army");
        let b = names.intern("  khalid IBN  al-walid army ");
        assert_eq!(a, b);
        assert_eq!(
            names.intern("Tariq al\u{2019}Sad"),
            names.intern("Tariq al'Sad")
        );
        assert_eq!(names.resolve(a), "Khalid ibn al-Walid Army");
        assert_eq!(names.intern(""), Symbol::EMPTY);
        assert_eq!(names.intern("   "), Symbol::EMPTY);
    }

    #[test]
    fn sorting_makes_symbol_order_alphabetical_and_redirects_survive() {
        let mut names = Interner::new();
        let zed = names.intern("Zed");
        let isis = names.intern("ISIS");
        let state = names.intern("Islamic State");
        let alpha = names.intern("alpha");
        names.redirect(&[(isis, state)].into_iter().collect());
        let remap = names.sort();
        let [zed, state, alpha] = [zed, state, alpha].map(|s| remap[s.0 as usize]);
        assert!(alpha < state && state < zed);
        assert_eq!(names.resolve(state), "Islamic State");
        assert_eq!(names.lookup("isis"), Some(state));
        assert_eq!(names.lookup(""), Some(Symbol::EMPTY));
    }
}
