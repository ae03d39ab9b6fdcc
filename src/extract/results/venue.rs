//! Who was at home: a venue in the sentence that belongs to one of the two sides
//! ("at Anfield", "at Carrow Road", "in Madrid", "at Fulham"), or "at home" / "away"
//! said of the side that acts.

use super::frames::{Reading, Scene};

/// The home side and the venue as written, when the sentence makes them clear.
pub(super) fn home_of(scene: &Scene, read: &Reading) -> (Option<String>, Option<String>) {
    let text = scene.text;
    let pair = &read.teams;
    let venue_of = |name: &str| {
        scene
            .sides
            .iter()
            .find(|r| r.venue && r.name == name)
            .map(|r| text[r.start..r.end].to_string())
    };
    if let Some(h) = &read.home {
        return (Some(h.clone()), venue_of(h));
    }
    if let Some(r) = scene
        .sides
        .iter()
        .find(|r| r.venue && pair.contains(&r.name))
    {
        return (Some(r.name.clone()), Some(text[r.start..r.end].to_string()));
    }
    let sentence = text[scene.sentence.clone()].to_lowercase();
    if sentence.contains("at home") || sentence.contains("on home soil") {
        return (Some(pair[0].clone()), None);
    }
    if sentence.contains(" away ") && !sentence.contains("away goal") {
        return (Some(pair[1].clone()), None);
    }
    (None, None)
}
