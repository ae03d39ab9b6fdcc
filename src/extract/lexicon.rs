//! Word lists the extractor leans on: speech verbs, roles, nationalities, and
//! capitalised words that are never part of a person's name.

/// Verbs that introduce or follow a quote.
pub const SPEECH_VERBS: &[&str] = &[
    "said", "says", "added", "adds", "told", "tells", "explained", "explains", "insisted",
    "insists", "admitted", "admits", "claimed", "claims", "revealed", "reveals", "stated",
    "continued", "continues", "warned", "warns", "declared", "commented", "remarked",
    "conceded", "concedes", "reflected", "joked", "confirmed", "confirms", "stressed",
    "noted", "acknowledged", "replied", "responded", "agreed", "argued", "suggested",
    "maintained", "urged", "predicted", "vowed", "promised", "observed", "recalled",
    "laughed", "announced", "blasted", "fumed", "wrote", "asked", "believes", "reckons",
    "feels", "thinks", "saying", "adding", "insisting", "explaining", "admitting", "claiming",
    "telling", "declaring", "writes", "reiterated", "accepted", "boasted", "hinted",
    "lamented", "complained", "assured", "countered", "quipped", "smiled", "cautioned",
];

/// Participles whose subject is the subject of the whole sentence ("..., adding: ").
pub const PARTICIPLES: &[&str] = &[
    "saying", "adding", "insisting", "explaining", "admitting", "claiming", "telling",
    "declaring",
];

/// Words for what a person does at a club.
pub const ROLES: &[&str] = &[
    "manager", "boss", "coach", "striker", "forward", "midfielder", "defender", "winger",
    "goalkeeper", "keeper", "captain", "skipper", "chairman", "agent", "player", "star",
    "counterpart", "assistant", "goalscorer", "veteran", "youngster", "teenager",
    "substitute", "international", "stopper", "centre-back", "centre-half", "full-back",
    "left-back", "right-back", "playmaker", "spokesman", "spokeswoman", "president",
    "director", "executive", "chief", "owner", "referee", "official", "frontman",
    "marksman", "custodian", "supremo", "gaffer", "head", "back",
];

/// Nationality words, as adjectives or nouns ("Brazilian Militao", "the Dutchman").
pub const NATIONALITIES: &[&str] = &[
    "English", "Englishman", "Scottish", "Scot", "Scotsman", "Irish", "Irishman", "Welsh",
    "Welshman", "French", "Frenchman", "German", "Spanish", "Spaniard", "Italian", "Dutch",
    "Dutchman", "Portuguese", "Brazilian", "Argentine", "Argentinian", "Uruguayan",
    "Colombian", "Chilean", "Mexican", "American", "Canadian", "Japanese", "Korean",
    "Chinese", "Australian", "Belgian", "Swiss", "Austrian", "Swede", "Swedish", "Dane",
    "Danish", "Norwegian", "Finn", "Finnish", "Icelandic", "Pole", "Polish", "Czech",
    "Slovak", "Hungarian", "Croat", "Croatian", "Serb", "Serbian", "Slovenian", "Bosnian",
    "Romanian", "Bulgarian", "Greek", "Turk", "Turkish", "Russian", "Ukrainian", "Georgian",
    "Israeli", "Nigerian", "Ghanaian", "Senegalese", "Ivorian", "Cameroonian", "Egyptian",
    "Moroccan", "Algerian", "Tunisian", "Malian", "Togolese", "Brazilians", "Peruvian",
    "Paraguayan", "Ecuadorian", "Venezuelan", "Jamaican", "Iranian", "Saudi", "Northern",
];

/// Capitalised words that start sentences or name things, never people.
pub const NOT_NAMES: &[&str] = &[
    "The", "A", "An", "But", "And", "Or", "So", "Yet", "He", "She", "It", "We", "I", "You",
    "They", "His", "Her", "Its", "Our", "Their", "My", "Your", "This", "That", "These",
    "Those", "There", "Here", "In", "On", "At", "After", "Before", "When", "While", "If",
    "As", "Of", "For", "With", "Without", "By", "From", "To", "Into", "Over", "Under", "Up",
    "Down", "Since", "Until", "Then", "Now", "Meanwhile", "However", "Although", "Though",
    "Despite", "Even", "Also", "Only", "Just", "Still", "Both", "All", "Every", "Each",
    "Some", "Any", "No", "Not", "Nor", "Neither", "Either", "What", "Who", "Whom", "Which",
    "Where", "Why", "How", "Yes", "Speaking", "Asked", "According", "Last", "Next", "First",
    "Second", "Third", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight",
    "Nine", "Ten", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "League", "Cup", "Champions",
    "Premier", "Premiership", "Championship", "Europa", "Uefa", "UEFA", "Fifa", "FIFA", "FA",
    "SFA", "World", "Euro", "European", "Europe", "International", "National", "Division",
    "Stadium", "Park", "Road", "Lane", "Ground", "Arena", "Final", "Super", "Trophy",
    "Shield", "Carling", "Worthington", "Coca-Cola", "Nationwide", "Conference", "BBC",
    "Sport", "Radio", "Five", "Live", "Sky", "News", "Press", "Association", "Daily",
    "Sunday", "Times", "Guardian", "Telegraph", "Mirror", "Sun", "Express", "Record",
    "Mail", "Independent", "Observer", "Reuters", "AFP", "Twitter", "Instagram", "Olympic",
    "Olympics", "Games", "Government", "Minister", "Prime", "Mr", "Mrs", "Ms", "Dr",
    "Christmas", "Easter", "New", "Year", "Day", "Boxing", "Bank", "Holiday", "God", "Lord",
    "Old", "Street", "City", "United", "Town", "County", "Rovers", "Athletic", "Wanderers",
    "Albion", "Hotspur", "Rangers", "Celtic", "Real", "Club", "FC", "Liga", "Serie",
    "Bundesliga", "Ligue", "Eredivisie", "Copa", "Del", "Rey", "Scudetto", "Treble",
    "Double", "Golden", "Boot", "Ballon", "Player", "Manager", "Month", "Season", "Team",
    "Squad", "Under-21", "Under-21s", "Kop", "Video", "VAR", "Council", "Commission",
    "Committee", "Board", "Federation", "Union", "Tribunal", "Court", "Police", "Wembley",
    "Perhaps", "Maybe", "Sadly", "Ultimately", "Unfamiliar", "Goalscorer", "Midfielder",
    "Striker", "Defender", "Captain", "Skipper", "Boss", "Coach", "Chairman", "Keeper",
    "Goalkeeper", "Winger", "Forward", "Substitute", "Veteran", "Agent", "Teenager",
    "Youngster", "Spokesman", "Spokeswoman", "President", "Director", "Reds", "Blues",
    "Gunners", "Saints", "Toffees", "Magpies", "Hammers", "Villans", "Foxes", "Wolves",
    "Owls", "Blades", "Baggies", "Potters", "Canaries", "Hornets", "Eagles", "Seagulls",
    "Bees", "Clarets", "Cherries", "Bhoys", "Gers", "Dons", "Hoops", "Galacticos",
    "Scotland", "England", "Wales", "Ireland", "Britain", "Brazil", "Spain", "Italy",
    "France", "Germany", "Holland", "Netherlands", "Portugal", "Argentina", "Asia", "Africa",
    "America", "Africa", "Middle", "East", "West", "North", "South", "Central", "Kingdom",
];

/// Words before a name that mark a pronoun-like subject ("he said").
pub const PRONOUNS: &[&str] = &["he", "she", "He", "She"];
