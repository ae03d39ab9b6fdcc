//! Dates stated relative to the publication date ("on Wednesday", "last week").
