//! "Did you mean …?": the nearest known word to a misspelt one.
//!
//! Only a likely typo earns a suggestion; a word that is merely different
//! gets none, since a wrong guess misleads more than silence.

/// The candidate nearest to `word` when it is close enough to be a likely
/// typo of it: at most one edit (an insertion, deletion, substitution or
/// swap of neighbours) per three characters of the longer word. Both are
/// compared as given, so callers pass lowercase or `facts::names::name_key`
/// forms. Of equally near candidates the first wins, so the answer follows
/// the caller's order and never a hash order.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let (a, b) = (word.chars().count(), candidate.chars().count());
        let longer = a.max(b);
        // The difference in length is a floor on the distance, and costs
        // nothing: a cell of 30,000 characters is never compared edit by
        // edit with every column or source id.
        if a.abs_diff(b) * 3 > longer {
            continue;
        }
        let distance = strsim::osa_distance(word, candidate);
        if distance * 3 > longer {
            continue;
        }
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[track_caller]
    fn check(word: &str, candidates: &[&str], expected: Option<&str>) {
        assert_eq!(
            nearest(word, candidates.iter().copied()),
            expected,
            "{word:?}"
        );
    }

    #[test]
    fn suggests_only_likely_typos() {
        let columns = ["member", "group", "role", "start", "end", "source"];
        check("strat", &columns, Some("start"));
        check("sources", &columns, Some("source"));
        check("rol", &columns, Some("role"));
        check("gruop", &columns, Some("group"));
        check("grupo", &columns, None);
        check("ix", &["id"], None);
        check("comment", &columns, None);
        check(
            "tna-2023",
            &["bbc-2021", "tna-2022", "tna-2021"],
            Some("tna-2022"),
        );
        check(
            "memberships",
            &["membership", "mergers"],
            Some("membership"),
        );
        check("entitys", &["entities"], Some("entities"));
        check("start", &columns, None);
        check(&"strat".repeat(10_000), &columns, None);
    }
}
