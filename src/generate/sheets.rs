//! The CSV files being written: one [`FactWriter`] per fact file, with its header
//! checked against the schema, its rows counted and its bytes measured.
//!
//! The generator writes each file's columns in an order it knows; this module
//! is where that order is checked against [`crate::schema::FILES`], so that a
//! change to the schema fails loudly here instead of shifting cells into the
//! wrong columns.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::schema::{self, FactFile};

/// The columns the generator writes for each file, in the order it writes
/// them.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "sources",
        &[
            "id",
            "publisher",
            "title",
            "date",
            "url",
            "reliability",
            "claimant",
            "part_of",
        ],
    ),
    ("aliases", &["alias", "name"]),
    // Written with its header only: the shipped vocabulary covers every
    // word the generator uses.
    ("vocabulary", &["field", "word", "meaning"]),
    ("entities", &["name", "kind", "description"]),
    (
        "membership",
        &[
            "member",
            "group",
            "role",
            "start",
            "end",
            "source",
            "confidence",
            "disputed_by",
        ],
    ),
    (
        "mergers",
        &[
            "from",
            "into",
            "kind",
            "date",
            "source",
            "confidence",
            "disputed_by",
        ],
    ),
    ("places", &["place", "within", "kind"]),
    (
        "locations",
        &[
            "entity",
            "place",
            "start",
            "end",
            "source",
            "confidence",
            "disputed_by",
        ],
    ),
    (
        "events",
        &[
            "event",
            "kind",
            "place",
            "start",
            "end",
            "source",
            "confidence",
            "description",
            "disputed_by",
        ],
    ),
    (
        "participants",
        &[
            "event",
            "entity",
            "role",
            "source",
            "confidence",
            "disputed_by",
        ],
    ),
    (
        "links",
        &[
            "from",
            "to",
            "kind",
            "start",
            "end",
            "source",
            "confidence",
            "disputed_by",
        ],
    ),
];

/// A writer that counts the bytes it passes on.
#[derive(Debug)]
struct Counted<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// One fact file being written.
#[derive(Debug)]
pub(super) struct FactWriter<W: Write> {
    file: &'static FactFile,
    path: PathBuf,
    writer: csv::Writer<Counted<W>>,
    rows: u64,
}

/// A fact file written to the end.
#[derive(Debug)]
pub(super) struct Written {
    /// Which file.
    pub file: &'static FactFile,
    /// Where it was written.
    pub path: PathBuf,
    /// Its rows, the header not counted.
    pub rows: u64,
    /// Its size, the header included.
    pub bytes: u64,
}

fn io_error(path: &std::path::Path, error: csv::Error) -> Error {
    let message = error.to_string();
    let source = match error.into_kind() {
        csv::ErrorKind::Io(source) => source,
        _ => io::Error::other(message),
    };
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl<W: Write> FactWriter<W> {
    fn create(file: &'static FactFile, path: PathBuf, sink: W) -> Result<FactWriter<W>> {
        let ours = COLUMNS
            .iter()
            .find(|(name, _)| *name == file.name)
            .map(|(_, columns)| *columns)
            .ok_or_else(|| {
                Error::Request(format!(
                    "the generator does not know how to write {:?}, which the schema lists",
                    file.file_name()
                ))
            })?;
        let theirs: Vec<&str> = file.written_columns().map(|c| c.name).collect();
        if ours != theirs.as_slice() {
            return Err(Error::Request(format!(
                "the generator writes {:?} with columns {ours:?}, but the schema says {theirs:?}",
                file.file_name()
            )));
        }
        let mut writer = csv::Writer::from_writer(Counted {
            inner: sink,
            bytes: 0,
        });
        writer.write_record(ours).map_err(|e| io_error(&path, e))?;
        Ok(FactWriter {
            file,
            path,
            writer,
            rows: 0,
        })
    }

    /// Writes one row, its cells in the order of the schema's columns.
    pub fn row(&mut self, cells: &[&str]) -> Result<()> {
        self.rows += 1;
        self.writer
            .write_record(cells)
            .map_err(|e| io_error(&self.path, e))
    }

    fn finish(self) -> Result<(Written, W)> {
        let FactWriter {
            file,
            path,
            writer,
            rows,
        } = self;
        let counted = writer.into_inner().map_err(|e| Error::Io {
            path: path.clone(),
            source: e.into_error(),
        })?;
        let written = Written {
            file,
            path,
            rows,
            bytes: counted.bytes,
        };
        Ok((written, counted.inner))
    }
}

/// Every fact file being written.
#[derive(Debug)]
pub(super) struct Sheets<W: Write> {
    pub sources: FactWriter<W>,
    pub aliases: FactWriter<W>,
    pub entities: FactWriter<W>,
    pub membership: FactWriter<W>,
    pub mergers: FactWriter<W>,
    pub places: FactWriter<W>,
    pub locations: FactWriter<W>,
    pub events: FactWriter<W>,
    pub participants: FactWriter<W>,
    pub links: FactWriter<W>,
    pub vocabulary: FactWriter<W>,
}

impl<W: Write> Sheets<W> {
    /// Starts every file of the schema, writing its header into what `open`
    /// gives for it (and where that is, for error messages).
    pub fn create(
        mut open: impl FnMut(&'static FactFile) -> Result<(PathBuf, W)>,
    ) -> Result<Sheets<W>> {
        let mut sheets = Vec::with_capacity(schema::FILES.len());
        for file in schema::FILES {
            let (path, sink) = open(file)?;
            sheets.push(Some(FactWriter::create(file, path, sink)?));
        }
        let mut take = |name: &str| {
            let at = schema::FILES.iter().position(|f| f.name == name);
            at.and_then(|at| sheets[at].take()).ok_or_else(|| {
                Error::Request(format!(
                    "the generator writes \"{name}.csv\", which the schema does not list"
                ))
            })
        };
        Ok(Sheets {
            sources: take("sources")?,
            aliases: take("aliases")?,
            entities: take("entities")?,
            membership: take("membership")?,
            mergers: take("mergers")?,
            places: take("places")?,
            locations: take("locations")?,
            events: take("events")?,
            participants: take("participants")?,
            links: take("links")?,
            vocabulary: take("vocabulary")?,
        })
    }

    /// Flushes every file and says what was written, in schema order, with
    /// what each file was written into.
    pub fn finish(self) -> Result<Vec<(Written, W)>> {
        let sheets = [
            self.sources,
            self.aliases,
            self.entities,
            self.membership,
            self.mergers,
            self.places,
            self.locations,
            self.events,
            self.participants,
            self.links,
            self.vocabulary,
        ];
        let mut written = sheets
            .into_iter()
            .map(FactWriter::finish)
            .collect::<Result<Vec<_>>>()?;
        written.sort_by_key(|(w, _)| {
            schema::FILES
                .iter()
                .position(|f| f.name == w.file.name)
                .unwrap_or(usize::MAX)
        });
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ColumnKind, FileRole};

    #[test]
    fn refuses_a_file_whose_columns_differ_from_the_schema() {
        static REORDERED: FactFile = FactFile {
            name: "aliases",
            role: FileRole::Aliases,
            columns: &[
                Column {
                    name: "name",
                    kind: ColumnKind::Text,
                    required: true,
                },
                Column {
                    name: "alias",
                    kind: ColumnKind::Text,
                    required: true,
                },
            ],
            begins: None,
        };
        let error =
            FactWriter::create(&REORDERED, "aliases.csv".into(), io::sink()).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "the generator writes \"aliases.csv\" with columns [\"alias\", \"name\"], \
             but the schema says [\"name\", \"alias\"]"
        );
    }

    #[test]
    fn writes_the_header_and_counts_rows_and_bytes() {
        let file = schema::file("aliases").expect("aliases");
        let mut sheet =
            FactWriter::create(file, "aliases.csv".into(), Vec::new()).expect("created");
        sheet
            .row(&["Jaysh al-Nasr", "Jaish al-Nasr"])
            .expect("written");
        let (written, bytes) = sheet.finish().expect("finished");
        let text = "alias,name\nJaysh al-Nasr,Jaish al-Nasr\n";
        assert_eq!(String::from_utf8(bytes).expect("UTF-8"), text);
        assert_eq!((written.rows, written.bytes), (1, text.len() as u64));
    }
}
