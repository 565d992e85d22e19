//! The scale benchmark's floor (`tests/bench/floor.rs`) runs silsila's
//! rules without grades or provenance; it measures something only if it
//! derives what silsila derives. Over the seed facts and every case, each
//! relation crepe derives holds as many tuples in the floor as silsila's
//! model holds distinct value tuples (silsila keeps one per grade).

use crate::support::fact_folders;

mod bare {
    include!(concat!(env!("OUT_DIR"), "/rules_bare.rs"));
}

#[test]
fn the_floor_derives_what_silsila_derives() {
    let rules = silsila::rules::rules().unwrap();
    let mut compared = 0;
    for (name, folder, _) in fact_folders() {
        let Ok(facts) = silsila::load(&folder) else {
            continue; // a case of facts that do not load
        };
        let options = silsila::eval::Options::default();
        let given = silsila::eval::given(&facts, rules, &options);
        let sizes = bare::evaluate(&given.constants, &given.inputs);
        let model = silsila::eval::run(&facts, &options).unwrap();
        for (i, relation) in rules.relations.iter().enumerate() {
            if relation.kind == silsila::dl::syntax::DeclKind::Input || relation.merges.is_some() {
                continue;
            }
            let tuples = &model.relations[i];
            let mut distinct: Vec<_> = (0..tuples.len()).map(|t| tuples.values(t)).collect();
            distinct.dedup();
            assert_eq!(
                sizes[i],
                distinct.len(),
                "{name}: {} has {} tuples in the floor, {} in silsila",
                relation.name,
                sizes[i],
                distinct.len()
            );
            compared += usize::from(!distinct.is_empty());
        }
    }
    // Not a comparison of empty relations only.
    assert!(
        compared > 100,
        "only {compared} non-empty relations compared"
    );
}
