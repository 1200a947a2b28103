//! Who was supported, and reach into the target groups.

use super::data::{Client, ClientIx, Data, Status};
use super::dimensions::describing;
use sprout_config::Config;
use sprout_core::period::Window;
use sprout_core::vocab::is_ethnic_minority;
use sprout_model::{Breakdown, Count, Dimension, People, Reach, Share};

/// Clients supported in the window: a start or an attended session inside it.
pub fn supported(data: &Data, window: &Window) -> Vec<bool> {
    let mut out: Vec<bool> = data
        .clients
        .iter()
        .map(|c| c.start.is_some_and(|s| window.contains(s)))
        .collect();
    for s in &data.sessions {
        if s.status == Some(Status::Attended)
            && window.contains(s.date)
            && let Some(flag) = out.get_mut(s.client.index())
        {
            *flag = true;
        }
    }
    out
}

pub fn people(config: &Config, data: &Data, window: &Window) -> People {
    let flags = supported(data, window);
    let who: Vec<&Client> = data
        .clients
        .iter()
        .zip(&flags)
        .filter(|(_, f)| **f)
        .map(|(c, _)| c)
        .collect();
    let supported: Vec<ClientIx> = data
        .numbered()
        .filter(|(c, _)| flags[c.index()])
        .map(|(c, _)| c)
        .collect();
    let dimensions = describing(config)
        .into_iter()
        .map(|dim| {
            let assigned = dim.assign(&data.clients);
            let mut tally = vec![0u64; assigned.levels.len()];
            for &c in &supported {
                tally[assigned.level_of(c)] += 1;
            }
            let counts: Vec<(String, String, u64)> = assigned
                .present(supported.iter().copied())
                .into_iter()
                .map(|l| {
                    (
                        assigned.levels[l].0.clone(),
                        assigned.levels[l].1.clone(),
                        tally[l],
                    )
                })
                .collect();
            Dimension {
                labels_from_export: dim.labels_from_export(),
                id: dim.id,
                label: dim.label,
                breakdown: Breakdown::from_counts(counts),
            }
        })
        .collect();

    let mut reach = Vec::new();
    let minority: Vec<Option<bool>> = who
        .iter()
        .map(|c| c.ethnicity.as_deref().and_then(is_ethnic_minority))
        .collect();
    let known = minority.iter().flatten().count() as u64;
    reach.push(Reach {
        id: "ethnic_minority".into(),
        label: "People from ethnic minority groups".into(),
        share: Share::with_ci(
            minority.iter().filter(|m| **m == Some(true)).count() as u64,
            known,
        ),
        local_share: config.reach.ethnic_minority,
        not_known: Count::new(who.len() as u64 - known),
    });
    let imd: Vec<Option<i32>> = who.iter().map(|c| c.imd_decile).collect();
    let known = imd.iter().flatten().count() as u64;
    reach.push(Reach {
        id: "imd_deciles_1_2".into(),
        label: "People living in the 20% most deprived areas (IMD deciles 1-2)".into(),
        share: Share::with_ci(
            imd.iter().filter(|d| d.is_some_and(|d| d <= 2)).count() as u64,
            known,
        ),
        local_share: config.reach.imd_deciles_1_2,
        not_known: Count::new(who.len() as u64 - known),
    });
    let new = who
        .iter()
        .filter(|c| c.start.is_some_and(|s| window.contains(s)))
        .count();
    People {
        supported: Count::from(who.len()),
        new: Count::from(new),
        continuing: Count::from(who.len() - new),
        dimensions,
        reach,
    }
}
