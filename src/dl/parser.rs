//! The rule language's parser: builds the [`Program`] of `rules/*.dl` from
//! the lexer's tokens. Parsing never stops at the first mistake: it skips to
//! the next statement and returns every error with its place.
//!
//! Shared with the build script: depends on nothing but `std`.

use super::lexer::{lex, Lexeme, Token};
use super::syntax::{
    Atom, CmpOp, ColumnDecl, Decl, DeclKind, Literal, Loc, Program, Rule, RuleError, Term,
};

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
    /// It also stops before a line that a `%` comment directly precedes,
    /// since every rule is named by one: a rule whose end is lost (to an
    /// unterminated string, say) does not swallow the rules after it.
    fn recover(&mut self) {
        while let Some(token) = self.next() {
            if token == Token::Dot {
                return;
            }
            match (
                self.lexemes.get(self.position - 1),
                self.lexemes.get(self.position),
            ) {
                (_, Some(next)) if matches!(next.token, Token::Directive(_)) => return,
                (Some(last), Some(next))
                    if next.line > last.line
                        && self.comments.iter().any(|(line, _)| *line + 1 == next.line) =>
                {
                    return
                }
                _ => {}
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
