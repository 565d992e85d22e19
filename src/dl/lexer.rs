//! The rule language's lexer: turns one `rules/*.dl` file into tokens with
//! their lines, and keeps the comments apart for the parser to read rule
//! names from. It never fails: a character it does not know becomes a
//! [`Token::Unexpected`] for the parser to report.
//!
//! Shared with the build script: depends on nothing but `std`.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Token {
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
pub(super) struct Lexeme {
    pub(super) token: Token,
    pub(super) line: u32,
}

pub(super) fn lex(text: &str) -> (Vec<Lexeme>, Vec<(u32, String)>) {
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
                // The line's end stays for the loop above to count, so the
                // lines after an unterminated string keep their numbers.
                while let Some(&next) = chars.peek() {
                    if next == '\n' {
                        break;
                    }
                    chars.next();
                    if next == '"' {
                        closed = true;
                        break;
                    }
                    text.push(next);
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
