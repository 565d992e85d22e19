//! The rule language's syntax: a lexer and parser for `rules/*.dl`, and the
//! tree they produce, with every node's place in its file.
//!
//! ```text
//! % A comment runs from % to the end of the line.
//! .input mergers(from: entity, into: entity, kind: word, date: date)
//! .decl  superseded(group: entity)
//! .output descends_from(group: entity, ancestor: entity)
//! .output current_descendant(cell: entity, ancestor: entity, last_seen: date) key(cell, ancestor)
//!
//! % lineage-via-merger: a group formed by a merger descends from each group that merged into it
//! descends_from(group, ancestor) :- mergers(ancestor, group, _, _), group != ancestor.
//! ```
//!
//! A rule is named by the comment on the line directly above it, of the
//! form `% name: reason`. Parsing never stops at the first mistake: it skips
//! to the next statement and returns every error with its place. This module
//! is shared with the build script, so it depends on nothing but `std`.

use std::fmt;

/// A place in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file as the user sees it, such as `rules/lineage.dl`.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A mistake in a rules file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleError {
    /// Where it is.
    pub loc: Loc,
    /// What is wrong: lowercase, no trailing period, names quoted.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.loc, self.message)
    }
}

/// Whether a relation is read from fact files, derived and kept internal, or
/// derived and printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclKind {
    /// `.input`: rows come from the facts (or from the run's parameters).
    Input,
    /// `.decl`: derived, used by other rules.
    Internal,
    /// `.output`: derived and printed by `silsila infer`.
    Output,
}

/// A column of a relation: its name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDecl {
    /// The column name.
    pub name: String,
    /// The type name: `entity`, `place`, `event`, `word` or `date`.
    pub ty: String,
}

/// A relation declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    /// Input, internal or output.
    pub kind: DeclKind,
    /// The relation name.
    pub name: String,
    /// Its columns, in order.
    pub columns: Vec<ColumnDecl>,
    /// For an output: the columns that identify one conclusion, when fewer
    /// than all; of the rows that share a key, only the strongest (then
    /// latest) is printed.
    pub key: Option<Vec<String>>,
    /// Whether each of its conclusions is an inference beyond what the
    /// facts state (`inferred`): one step less confident than its premises.
    pub inferred: bool,
    /// For a relation computed after evaluation rather than derived by
    /// rules (`merges shared by counts_for`): the relation whose periods
    /// it merges and the place hierarchy that says which place is the
    /// more specific.
    pub merges: Option<(String, String)>,
    /// How explanations say a tuple of it in words, with `{column}`
    /// placeholders: `"{group} was superseded"`.
    pub says: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
}

/// A term: an argument of an atom.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Term {
    /// A variable, such as `group`.
    Var(String),
    /// `_`: any value.
    Wildcard,
    /// A quoted constant, such as `"merger"`.
    Str(String),
}

impl Term {
    /// The term as an error message quotes it: `"group"`, `"_"`,
    /// `"merger"`.
    pub fn quoted(&self) -> String {
        match self {
            Term::Var(name) => format!("{name:?}"),
            Term::Wildcard => "\"_\"".to_string(),
            Term::Str(text) => format!("{text:?}"),
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Var(name) => f.write_str(name),
            Term::Wildcard => f.write_str("_"),
            Term::Str(text) => write!(f, "{text:?}"),
        }
    }
}

/// `name(term, …)`: a relation atom, or a call of a built-in function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Atom {
    /// The relation or built-in name.
    pub name: String,
    /// The arguments.
    pub terms: Vec<Term>,
    /// Where it is.
    pub loc: Loc,
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{term}")?;
        }
        f.write_str(")")
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`: equal, or binds an unbound variable on the left.
    Eq,
    /// `!=`.
    Ne,
    /// `<`, on names: alphabetical order.
    Lt,
}

impl fmt::Display for CmpOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
        })
    }
}

/// One condition in a rule's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// `rel(…)` or `builtin(…)`, or `!rel(…)` when negated.
    Atom {
        /// Whether it is `!rel(…)`: no such row exists.
        negated: bool,
        /// The atom.
        atom: Atom,
    },
    /// `left op right`.
    Compare {
        /// Left side.
        left: Term,
        /// The operator.
        op: CmpOp,
        /// Right side.
        right: Term,
        /// Where it is.
        loc: Loc,
    },
    /// `var = function(…)`: binds a variable to a built-in function's value.
    Assign {
        /// The variable bound.
        var: String,
        /// The call.
        call: Atom,
    },
}

impl Literal {
    /// Where the literal is.
    pub fn loc(&self) -> &Loc {
        match self {
            Literal::Atom { atom, .. } | Literal::Assign { call: atom, .. } => &atom.loc,
            Literal::Compare { loc, .. } => loc,
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Atom { negated, atom } => {
                write!(f, "{}{atom}", if *negated { "!" } else { "" })
            }
            Literal::Compare {
                left, op, right, ..
            } => write!(f, "{left} {op} {right}"),
            Literal::Assign { var, call } => write!(f, "{var} = {call}"),
        }
    }
}

/// A named rule: `head :- body.`, or a fact `head.` with no body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// From the comment above: `% name: reason`.
    pub name: String,
    /// The one-line reason an analyst would accept.
    pub reason: String,
    /// The conclusion.
    pub head: Atom,
    /// The conditions, in order; crepe joins them left to right.
    pub body: Vec<Literal>,
    /// Where the rule starts.
    pub loc: Loc,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.head)?;
        for (i, literal) in self.body.iter().enumerate() {
            f.write_str(if i == 0 { " :- " } else { ", " })?;
            write!(f, "{literal}")?;
        }
        f.write_str(".")
    }
}

/// Everything in a set of rules files, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// Relation declarations.
    pub decls: Vec<Decl>,
    /// Rules, in the order written.
    pub rules: Vec<Rule>,
}

/// Parses rules files, given as (display path, text) pairs in order. Returns
/// the program and every error found; the program holds whatever parsed.
pub fn parse(files: &[(&str, &str)]) -> (Program, Vec<RuleError>) {
    let mut program = Program::default();
    let mut errors = Vec::new();
    for (file, text) in files {
        let mut parser = Parser::new(file, text);
        parser.parse_file(&mut program, &mut errors);
    }
    (program, errors)
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(String),
    Str(String),
    Directive(String),
    LParen,
    RParen,
    Comma,
    Colon,
    Dot,
    If,
    Bang,
    Eq,
    Ne,
    Lt,
    Underscore,
    Unexpected(char),
    UnterminatedStr,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Ident(name) => write!(f, "{name:?}"),
            Token::Str(text) => write!(f, "the string {text:?}"),
            Token::Directive(name) => write!(f, "\".{name}\""),
            Token::LParen => f.write_str("\"(\""),
            Token::RParen => f.write_str("\")\""),
            Token::Comma => f.write_str("\",\""),
            Token::Colon => f.write_str("\":\""),
            Token::Dot => f.write_str("\".\""),
            Token::If => f.write_str("\":-\""),
            Token::Bang => f.write_str("\"!\""),
            Token::Eq => f.write_str("\"=\""),
            Token::Ne => f.write_str("\"!=\""),
            Token::Lt => f.write_str("\"<\""),
            Token::Underscore => f.write_str("\"_\""),
            Token::Unexpected(c) => write!(f, "{:?}", c.to_string()),
            Token::UnterminatedStr => f.write_str("a string with no closing quote"),
        }
    }
}

/// A token with the line it is on.
struct Lexeme {
    token: Token,
    line: u32,
}

fn lex(text: &str) -> (Vec<Lexeme>, Vec<(u32, String)>) {
    let mut lexemes = Vec::new();
    let mut comments = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1u32;
    while let Some(c) = chars.next() {
        let token = match c {
            '\n' => {
                line += 1;
                continue;
            }
            c if c.is_whitespace() => continue,
            '%' => {
                let mut comment = String::new();
                while let Some(&next) = chars.peek() {
                    if next == '\n' {
                        break;
                    }
                    comment.push(next);
                    chars.next();
                }
                comments.push((line, comment.trim().to_string()));
                continue;
            }
            '(' => Token::LParen,
            ')' => Token::RParen,
            ',' => Token::Comma,
            '=' => Token::Eq,
            '<' => Token::Lt,
            '!' if chars.peek() == Some(&'=') => {
                chars.next();
                Token::Ne
            }
            '!' => Token::Bang,
            ':' if chars.peek() == Some(&'-') => {
                chars.next();
                Token::If
            }
            ':' => Token::Colon,
            '.' if chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) => {
                Token::Directive(take_word(&mut chars, String::new()))
            }
            '.' => Token::Dot,
            '"' => {
                let mut text = String::new();
                let mut closed = false;
                for next in chars.by_ref() {
                    match next {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\n' => break,
                        _ => text.push(next),
                    }
                }
                if closed {
                    Token::Str(text)
                } else {
                    Token::UnterminatedStr
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let word = take_word(&mut chars, c.to_string());
                if word == "_" {
                    Token::Underscore
                } else {
                    Token::Ident(word)
                }
            }
            other => Token::Unexpected(other),
        };
        lexemes.push(Lexeme { token, line });
    }
    (lexemes, comments)
}

fn take_word(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, mut word: String) -> String {
    while let Some(&next) = chars.peek() {
        if next.is_alphanumeric() || next == '_' {
            word.push(next);
            chars.next();
        } else {
            break;
        }
    }
    word
}

struct Parser<'a> {
    file: &'a str,
    lexemes: Vec<Lexeme>,
    comments: Vec<(u32, String)>,
    position: usize,
}

type Parsed<T> = Result<T, RuleError>;

impl<'a> Parser<'a> {
    fn new(file: &'a str, text: &str) -> Self {
        let (lexemes, comments) = lex(text);
        Parser {
            file,
            lexemes,
            comments,
            position: 0,
        }
    }

    fn loc(&self) -> Loc {
        let line = self
            .lexemes
            .get(self.position)
            .or_else(|| self.lexemes.last())
            .map_or(1, |l| l.line);
        Loc {
            file: self.file.to_string(),
            line,
        }
    }

    fn peek(&self) -> Option<&Token> {
        self.lexemes.get(self.position).map(|l| &l.token)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.peek().cloned();
        self.position += 1;
        token
    }

    fn error<T>(&self, message: String) -> Parsed<T> {
        Err(RuleError {
            loc: self.loc(),
            message,
        })
    }

    fn expect(&mut self, expected: Token, what: &str) -> Parsed<()> {
        match self.peek() {
            Some(token) if *token == expected => {
                self.position += 1;
                Ok(())
            }
            Some(token) => self.error(format!("expected {what}, found {token}")),
            None => self.error(format!("expected {what}, found the end of the file")),
        }
    }

    fn ident(&mut self, what: &str) -> Parsed<String> {
        match self.peek() {
            Some(Token::Ident(name)) => {
                let name = name.clone();
                self.position += 1;
                Ok(name)
            }
            Some(token) => self.error(format!("expected {what}, found {token}")),
            None => self.error(format!("expected {what}, found the end of the file")),
        }
    }

    /// Skips past the end of the current statement, so that one mistake
    /// gives one error.
    fn recover(&mut self) {
        while let Some(token) = self.next() {
            if token == Token::Dot {
                return;
            }
            if let Some(Token::Directive(_)) = self.peek() {
                return;
            }
        }
    }

    /// Skips the rest of a declaration, which is one line.
    fn skip_line(&mut self, start: usize) {
        let line = self.lexemes.get(start).map_or(0, |l| l.line);
        self.position = start;
        while self
            .lexemes
            .get(self.position)
            .is_some_and(|l| l.line == line)
        {
            self.position += 1;
        }
    }

    fn parse_file(&mut self, program: &mut Program, errors: &mut Vec<RuleError>) {
        while let Some(token) = self.peek().cloned() {
            let start = self.position;
            let is_declaration = matches!(token, Token::Directive(_));
            let result = match token {
                Token::Directive(name) => self.declaration(&name).map(|d| program.decls.push(d)),
                Token::Ident(_) => self.rule().map(|rule| match rule {
                    Ok(rule) => program.rules.push(rule),
                    // The rule parsed; only its name is missing, so there
                    // is nothing to skip.
                    Err(unnamed) => errors.push(unnamed),
                }),
                Token::UnterminatedStr => self.error("a string has no closing quote".into()),
                other => self.error(format!(
                    "expected a declaration (.input, .decl, .output) or a rule, found {other}"
                )),
            };
            if let Err(error) = result {
                errors.push(error);
                if is_declaration {
                    self.skip_line(start);
                } else {
                    self.recover();
                }
            }
        }
    }

    fn declaration(&mut self, directive: &str) -> Parsed<Decl> {
        let loc = self.loc();
        let kind = match directive {
            "input" => DeclKind::Input,
            "decl" => DeclKind::Internal,
            "output" => DeclKind::Output,
            other => {
                return self.error(format!(
                    "unknown directive \".{other}\"; expected .input, .decl or .output"
                ))
            }
        };
        self.position += 1;
        let name = self.ident("a relation name")?;
        self.expect(Token::LParen, "\"(\" after the relation name")?;
        let mut columns = Vec::new();
        loop {
            let column = self.ident("a column name")?;
            self.expect(Token::Colon, "\":\" and a type after the column name")?;
            let ty = self.ident("a type")?;
            columns.push(ColumnDecl { name: column, ty });
            match self.next() {
                Some(Token::Comma) => continue,
                Some(Token::RParen) => break,
                _ => {
                    self.position -= 1;
                    return self.error("expected \",\" or \")\" in the column list".into());
                }
            }
        }
        let mut key = None;
        if let Some(Token::Ident(word)) = self.peek() {
            if word == "key" {
                self.position += 1;
                self.expect(Token::LParen, "\"(\" after key")?;
                let mut names = Vec::new();
                loop {
                    names.push(self.ident("a column name")?);
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::RParen) => break,
                        _ => {
                            self.position -= 1;
                            return self.error("expected \",\" or \")\" in the key".into());
                        }
                    }
                }
                key = Some(names);
            }
        }
        let mut inferred = false;
        if let Some(Token::Ident(word)) = self.peek() {
            if word == "inferred" {
                self.position += 1;
                inferred = true;
            }
        }
        let mut merges = None;
        if let Some(Token::Ident(word)) = self.peek() {
            if word == "merges" {
                self.position += 1;
                let source = self.ident("the relation whose periods are merged")?;
                match self.next() {
                    Some(Token::Ident(word)) if word == "by" => {}
                    _ => {
                        // At the merged relation, on the declaration's line,
                        // rather than at what follows, which may be the next
                        // line.
                        self.position -= 2;
                        return self.error(
                            "expected \"by\" and the place hierarchy after the merged relation"
                                .into(),
                        );
                    }
                }
                let within = self.ident("the place hierarchy")?;
                merges = Some((source, within));
            }
        }
        let mut says = None;
        if let Some(Token::Str(text)) = self.peek() {
            says = Some(text.clone());
            self.position += 1;
        }
        if let Some(Token::Dot) = self.peek() {
            self.position += 1;
        }
        Ok(Decl {
            kind,
            name,
            columns,
            key,
            inferred,
            merges,
            says,
            loc,
        })
    }

    /// A rule; the inner error is a rule that parsed but has no name.
    fn rule(&mut self) -> Parsed<Result<Rule, RuleError>> {
        let loc = self.loc();
        let head = self.atom()?;
        let mut body = Vec::new();
        match self.next() {
            Some(Token::Dot) => {}
            Some(Token::If) => loop {
                body.push(self.literal()?);
                match self.next() {
                    Some(Token::Comma) => continue,
                    Some(Token::Dot) => break,
                    _ => {
                        self.position -= 1;
                        return self.error(format!(
                            "expected \",\" or \".\" after {}",
                            body.last().map(ToString::to_string).unwrap_or_default()
                        ));
                    }
                }
            },
            _ => {
                self.position -= 1;
                return self.error(format!("expected \":-\" or \".\" after {head}"));
            }
        }
        Ok(self.rule_doc(&loc).map(|(name, reason)| Rule {
            name,
            reason,
            head,
            body,
            loc,
        }))
    }

    /// The `% name: reason` comment on the line directly above a rule.
    fn rule_doc(&self, loc: &Loc) -> Parsed<(String, String)> {
        let missing = || RuleError {
            loc: loc.clone(),
            message: "rule has no name: write \"% rule-name: reason\" on the line above it".into(),
        };
        let comment = self
            .comments
            .iter()
            .find(|(line, _)| *line + 1 == loc.line)
            .map(|(_, text)| text.as_str())
            .ok_or_else(missing)?;
        let (name, reason) = comment.split_once(':').ok_or_else(missing)?;
        let name = name.trim();
        let reason = reason.trim();
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !well_formed || reason.is_empty() {
            return Err(missing());
        }
        Ok((name.to_string(), reason.to_string()))
    }

    fn atom(&mut self) -> Parsed<Atom> {
        let loc = self.loc();
        let name = self.ident("a relation name")?;
        self.expect(Token::LParen, &format!("\"(\" after {name:?}"))?;
        let mut terms = Vec::new();
        if let Some(Token::RParen) = self.peek() {
            self.position += 1;
        } else {
            loop {
                terms.push(self.term()?);
                match self.next() {
                    Some(Token::Comma) => continue,
                    Some(Token::RParen) => break,
                    _ => {
                        self.position -= 1;
                        return self.error(format!("expected \",\" or \")\" in {name}(…)"));
                    }
                }
            }
        }
        Ok(Atom { name, terms, loc })
    }

    fn term(&mut self) -> Parsed<Term> {
        match self.next() {
            Some(Token::Ident(name)) => Ok(Term::Var(name)),
            Some(Token::Underscore) => Ok(Term::Wildcard),
            Some(Token::Str(text)) => Ok(Term::Str(text)),
            Some(token) => {
                self.position -= 1;
                self.error(format!(
                    "expected a variable, \"_\" or a quoted string, found {token}"
                ))
            }
            None => self.error("expected a term, found the end of the file".into()),
        }
    }

    fn literal(&mut self) -> Parsed<Literal> {
        let loc = self.loc();
        if let Some(Token::Bang) = self.peek() {
            self.position += 1;
            let atom = self.atom()?;
            return Ok(Literal::Atom {
                negated: true,
                atom,
            });
        }
        let starts_atom = matches!(
            (
                self.peek(),
                self.lexemes.get(self.position + 1).map(|l| &l.token)
            ),
            (Some(Token::Ident(_)), Some(Token::LParen))
        );
        if starts_atom {
            let atom = self.atom()?;
            return Ok(Literal::Atom {
                negated: false,
                atom,
            });
        }
        let left = self.term()?;
        let op = match self.next() {
            Some(Token::Eq) => CmpOp::Eq,
            Some(Token::Ne) => CmpOp::Ne,
            Some(Token::Lt) => CmpOp::Lt,
            _ => {
                self.position -= 1;
                return self.error(format!(
                    "expected \"=\", \"!=\" or \"<\" after {}",
                    left.quoted()
                ));
            }
        };
        let call_follows = matches!(
            (
                self.peek(),
                self.lexemes.get(self.position + 1).map(|l| &l.token)
            ),
            (Some(Token::Ident(_)), Some(Token::LParen))
        );
        if call_follows {
            let call = self.atom()?;
            return match (left, op) {
                (Term::Var(var), CmpOp::Eq) => Ok(Literal::Assign { var, call }),
                _ => Err(RuleError {
                    loc,
                    message: format!("only \"variable = {}(…)\" can take a call", call.name),
                }),
            };
        }
        let right = self.term()?;
        Ok(Literal::Compare {
            left,
            op,
            right,
            loc,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        let (program, errors) = parse(&[("rules/t.dl", text)]);
        let mut got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        got.extend(program.decls.iter().map(|d| format!("decl {}", d.name)));
        got.extend(program.rules.iter().map(|r| format!("{}: {r}", r.name)));
        assert_eq!(got, expected);
    }

    #[test]
    fn parses_declarations_and_named_rules() {
        check(
            ".input mergers(from: entity, into: entity)\n\
             .output descends_from(group: entity, ancestor: entity) key(group)\n\
             % lineage-via-merger: a group formed by a merger descends from its parts\n\
             descends_from(g, a) :- mergers(a, g), g != a, !x(g, _, \"rebrand\"), d = f(a).\n\
             % fact-rule: a fact\n\
             side(\"perpetrator\").\n",
            &[
                "decl mergers",
                "decl descends_from",
                "lineage-via-merger: descends_from(g, a) :- mergers(a, g), g != a, !x(g, _, \"rebrand\"), d = f(a).",
                "fact-rule: side(\"perpetrator\").",
            ],
        );
    }

    #[test]
    fn reports_every_mistake_with_its_line() {
        check(
            "% a: b\nr(x) :- s(x) t(x).\n\
             r(x) :- s(x).\n\
             % bad name here\nr(x) :- s(x).\n\
             % ok: fine\nr(x) :- s(x), x < .\n\
             .inptu r(x: entity)\n\
             % s-rule: unterminated\nr(\"x) :- s(x).\n",
            &[
                "rules/t.dl:2: expected \",\" or \".\" after s(x)",
                "rules/t.dl:3: rule has no name: write \"% rule-name: reason\" on the line above it",
                "rules/t.dl:5: rule has no name: write \"% rule-name: reason\" on the line above it",
                "rules/t.dl:7: expected a variable, \"_\" or a quoted string, found \".\"",
                "rules/t.dl:8: unknown directive \".inptu\"; expected .input, .decl or .output",
                "rules/t.dl:10: expected a variable, \"_\" or a quoted string, found a string with no closing quote",
            ],
        );
    }

    #[test]
    fn quotes_what_it_found_and_what_it_follows() {
        check(
            "% a: b\nr(x) :- s(x), x y.\n\
             % c: d\nr(x) :- s(x), \"k\" ? x.\n\
             \u{feff}r(x).\n",
            &[
                "rules/t.dl:2: expected \"=\", \"!=\" or \"<\" after \"x\"",
                "rules/t.dl:4: expected \"=\", \"!=\" or \"<\" after \"k\"",
                "rules/t.dl:5: expected a declaration (.input, .decl, .output) or a rule, found \"\\u{feff}\"",
            ],
        );
    }
}
