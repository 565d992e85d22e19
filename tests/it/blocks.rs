//! `infer --out` concludes and writes a CSV file a block of rows at a
//! time. The blocks must add up to the table printed whole: the same rows
//! in the same order, the header once, and an empty relation still one
//! (empty) block.

use silsila::conclusion::{in_blocks, tables};
use silsila::render::{write_csv, CsvWriter};

use crate::support::fact_folders;

#[test]
fn blocks_of_rows_add_up_to_the_whole_table_and_the_same_csv() {
    let rules = silsila::rules::rules().unwrap();
    let mut multi_block = 0;
    for (name, folder, _) in fact_folders() {
        let Ok(facts) = silsila::load(&folder) else {
            continue; // a case of facts that do not load
        };
        let model = silsila::eval::run(&facts, &Default::default()).unwrap();
        for (index, relation) in rules.relations.iter().enumerate() {
            if relation.kind != silsila::dl::syntax::DeclKind::Output {
                continue;
            }
            let whole = tables(&facts, rules, &model, &[index]).pop().unwrap();
            let mut blocks = Vec::new();
            in_blocks(&facts, rules, &model, index, 2, &mut |block| {
                assert_eq!(block.columns, whole.columns);
                blocks.push(block.rows.clone());
                Ok(())
            })
            .unwrap();
            assert!(
                !blocks.is_empty(),
                "{name}: {} gave no block",
                relation.name
            );
            multi_block += usize::from(blocks.len() > 1);
            let rows: Vec<_> = blocks.concat();
            assert_eq!(rows, whole.rows, "{name}: {}", relation.name);
            let mut streamed = Vec::new();
            let mut writer = CsvWriter::new(&mut streamed);
            writer.header(&whole.columns).unwrap();
            for block in &blocks {
                writer.rows(block).unwrap();
            }
            writer.finish().unwrap();
            let mut printed = Vec::new();
            write_csv(&whole, &mut printed).unwrap();
            assert_eq!(streamed, printed, "{name}: {}", relation.name);
        }
    }
    assert!(
        multi_block > 10,
        "only {multi_block} relations came in several blocks"
    );
}
