"""Places, phrases and formats for the demo generator (not shown anywhere but demo data)."""

from __future__ import annotations

# Where displaced Belarusians live now: country, share of applicants in percent, cities and
# some of their streets.
HOST_COUNTRIES: tuple[tuple[str, int, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    (
        "UKR",
        55,
        (
            (
                "Kyiv",
                ("vul. Khreshchatyk", "vul. Sahaidachnoho", "prosp. Peremohy", "vul. Antonovycha"),
            ),
            ("Lviv", ("vul. Horodotska", "prosp. Svobody", "vul. Zelena", "vul. Franka")),
            ("Odesa", ("vul. Derybasivska", "vul. Pushkinska", "prosp. Shevchenka")),
            ("Dnipro", ("prosp. Yavornytskoho", "vul. Naberezhna Peremohy")),
            ("Vinnytsia", ("vul. Soborna", "vul. Keletska")),
            ("Rivne", ("vul. Soborna", "vul. Kyivska")),
            ("Lutsk", ("prosp. Voli", "vul. Lesi Ukrainky")),
            ("Zhytomyr", ("vul. Kyivska", "vul. Velyka Berdychivska")),
            ("Chernihiv", ("prosp. Myru", "vul. Shevchenka")),
        ),
    ),
    (
        "POL",
        30,
        (
            (
                "Warszawa",
                ("ul. Marszałkowska", "ul. Puławska", "ul. Grochowska", "al. Jana Pawła II"),
            ),
            ("Białystok", ("ul. Lipowa", "ul. Sienkiewicza", "ul. Mickiewicza")),
            ("Kraków", ("ul. Długa", "ul. Wielicka", "ul. Kalwaryjska")),
            ("Wrocław", ("ul. Legnicka", "ul. Pomorska")),
            ("Gdańsk", ("ul. Grunwaldzka", "ul. Długie Ogrody")),
            ("Lublin", ("ul. Narutowicza", "al. Racławickie")),
        ),
    ),
    (
        "LTU",
        15,
        (
            ("Vilnius", ("Gedimino pr.", "Kalvarijų g.", "Žirmūnų g.", "Naugarduko g.")),
            ("Kaunas", ("Laisvės al.", "Savanorių pr.")),
            ("Klaipėda", ("Taikos pr.", "Herkaus Manto g.")),
        ),
    ),
)

UA_OPERATORS = ("50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")
EMAIL_DOMAINS = ("gmail.com", "proton.me", "ukr.net", "wp.pl", "outlook.com", "tut.by", "mail.ru")

# Belarusian towns in the Latin spelling the officers type.
BY_TOWNS = (
    "Minsk",
    "Minsk",
    "Minsk",
    "Hrodna",
    "Brest",
    "Homiel",
    "Mahilioŭ",
    "Viciebsk",
    "Babruisk",
    "Baranavichy",
    "Pinsk",
    "Lida",
    "Maladzechna",
    "Salihorsk",
    "Navapolatsk",
    "Slonim",
    "Zhlobin",
)
MINSK_DISTRICTS = (
    "Frunzienski",
    "Partyzanski",
    "Savetski",
    "Maskouski",
    "Zavodski",
    "Leninski",
    "Pershamajski",
    "Centralny",
    "Kastrychnicki",
)
BORDER_POSTS = ("Kamianiuki", "Brest", "Hrodna", "Benyakoni", "Katlovka", "Tieraspal")
BANKS = ("Belarusbank", "Priorbank", "BPS-Sberbank", "Belinvestbank")
RESIDENCE_AUTHORITY = {
    "UKR": "State Migration Service of Ukraine",
    "POL": "Urząd Wojewódzki, Wydział Spraw Cudzoziemców",
    "LTU": "Migracijos departamentas",
}

PASSPORT_SERIES = ("MP", "MP", "MP", "MC", "AB", "BM", "HB", "KH", "KB", "MH")
CYRILLIC_SERIES = ("БС", "ГР", "МН", "ВЦ", "ЖМ", "АБ", "КВ")

LOST_NOTES = (
    "Left behind in {town} when leaving Belarus in {year}; the number is known from a photocopy.",
    "Lost during the evacuation from {city} in {year}; a scan of the data page is in the "
    "applicant's e-mail.",
    "Destroyed with the flat in {city} when the building was hit in {year}.",
    "Retained by the employer in {town}; the applicant could not get it back before leaving.",
    "Confiscated at the {post} border crossing in {year}; applicant has a photo of the data page.",
    "Expired in {year}; the consulate refused to issue a new one without a return to Belarus.",
)
STOLEN_NOTES = (
    "Stolen with a bag on the train to {city} in {year}; police report no. {report}.",
    "Stolen from the hostel in {city}; reported to the police ({report}).",
    "Taken by men in plain clothes during a search of the flat in {town} in {year}.",
    "Stolen in {city} in {year}; the police report ({report}) is attached as a copy.",
)
DOUBTFUL_NOTES = (
    "Laminate lifted at the photo page; referred to the document expert.",
    "Photo differs noticeably from the applicant; second opinion requested.",
    "Issue date does not match the issuing office's series; asked the applicant to explain.",
)
FALSE_NOTE = (
    "The document expert found the data page replaced; the original number was issued to "
    "another person."
)
VERIFIED_NOTES = (
    "",
    "",
    "",
    "",
    "Security features checked under UV.",
    "MRZ and printed data agree.",
    "Checked against the scan the applicant sent before arriving.",
)

RELATIONSHIPS: tuple[tuple[str, int, int, str, bool], ...] = (
    # (relationship, fewest and most years known, sex ("" either), family: known for life)
    ("brother", 0, 0, "M", True),
    ("sister", 0, 0, "F", True),
    ("mother", 0, 0, "F", True),
    ("father", 0, 0, "M", True),
    ("cousin", 0, 0, "", True),
    ("aunt", 0, 0, "F", True),
    ("neighbour in Belarus", 2, 30, "", False),
    ("former neighbour", 2, 20, "", False),
    ("former colleague", 1, 15, "", False),
    ("former colleague", 1, 15, "", False),
    ("classmate", 5, 30, "", False),
    ("university friend", 3, 25, "", False),
    ("friend", 2, 25, "", False),
    ("friend", 2, 25, "", False),
    ("landlord", 1, 3, "", False),
    ("employer", 1, 6, "", False),
    ("pastor", 1, 12, "M", False),
    ("parish priest", 1, 20, "M", False),
    ("NGO worker", 1, 4, "", False),
    ("volunteer coordinator", 1, 4, "", False),
    ("lawyer", 1, 5, "", False),
    ("sports club coach", 2, 15, "", False),
)
# Where the people who vouch in their work (relationship -> places) do it.
ORGANISATIONS = {
    "NGO worker": (
        "Belarusian community centre, Warszawa",
        "Legalisation help desk, Vilnius",
        "Shelter for displaced families, Lublin",
    ),
    "volunteer coordinator": ("Red Cross volunteer office, Lviv", "Evacuation hotline, Kyiv"),
    "pastor": ("Evangelical church, Kyiv", "Baptist church, Brest, now in Białystok"),
    "parish priest": ("Greek Catholic parish, Białystok", "Catholic parish of St Anne, Vilnius"),
}
ORGANISATION_NOTES = ("", "", "Knows the applicant from the help programme.")
REFERENCE_NOTES = (
    "",
    "",
    "",
    "",
    "Met at the volunteer centre in 2021.",
    "Worked together at the Minsk tractor plant.",
    "Lived in the same block in {town}.",
    "Helped the applicant cross into {country}.",
)
COUNTRY_NAMES = {"UKR": "Ukraine", "POL": "Poland", "LTU": "Lithuania"}

CONTACT_NOTES = {
    "confirmed": (
        "Confirmed name, year of birth and home town.",
        "Confirmed; described the applicant's work in {town}.",
        "Recognised the applicant from a photo and confirmed the family name.",
        "Confirmed and offered to come to the office in person.",
    ),
    "denied": ("Says they do not know the applicant.", "Refused to confirm anything."),
    "no_answer": ("", "No answer.", "Not reachable.", "No reply by the end of the day."),
    "wrong_contact": ("The number belongs to someone else.", "Nobody of that name there."),
    "call_back": ("Asked to be contacted again in the evening.", "Busy; will answer tomorrow."),
}
# How an officer reaches a number: by calling, or through a messenger (text or video).
CHANNELS = ("phone", "phone", "phone", "messenger", "messenger", "video")
MESSENGER_CHANNELS = ("messenger", "messenger", "video")

EVIDENCE = {
    "interview_held": (
        "Interview held in person with an interpreter; notes in the file.",
        "Interviewed for 40 minutes; answers consistent with the documents.",
        "Interview held; the applicant described the route out of Belarus in detail.",
    ),
    "photo_matches": (
        "Face compared with the passport photo: matches.",
        "Compared with the ID card photo and an older photo from social media: matches.",
        "Matches the photo on the driving licence and the birth certificate details.",
    ),
    "consent_recorded": (
        "Signed consent form, scanned.",
        "Consent given on the form in Belarusian; original in the paper file.",
    ),
    "security_check_answered": (
        "External check answered: nothing on record.",
        "Security service replied by letter: no objections.",
        "Answer received by secure e-mail: no information held.",
    ),
}
GENERIC_EVIDENCE = ("Checked in person; see the notes.", "Done; the paper record is in the file.")
WAIVE_REASONS = (
    "No photo document survived; identity confirmed by three references instead.",
    "The applicant is a minor's guardian; the interview was held with the guardian instead.",
)

COMMENTS = {
    "return": (
        "Please call the second reference again; the note only says 'confirmed'.",
        "The passport copy is unreadable: attach a clearer scan.",
        "Explain how the passport was lost; the note is too short.",
        "The interview evidence does not name the interpreter.",
    ),
    "reject": (
        "Watchlist hit confirmed by the security service.",
        "The passport was found to be false.",
        "Both references denied knowing the applicant on a second call.",
        "Same person as an earlier applicant registered under another name.",
    ),
    "hold": (
        "Waiting for the applicant to bring the birth certificate.",
        "The main reference is abroad until next month.",
        "Waiting for the answer of the external security check.",
        "Applicant in hospital; interview postponed.",
    ),
    "withdraw": (
        "Applicant left for Lithuania and no longer needs the letter.",
        "Applicant asked to withdraw: got a residence permit another way.",
        "Applicant stopped answering calls for a month.",
        "Duplicate intake: the applicant already has a case.",
    ),
    "note": (
        "Applicant will bring the military ID on Monday.",
        "Prefers calls in Belarusian or Russian, not Ukrainian.",
        "Needs the letter before the bank appointment on the 15th.",
        "Applicant's sister is also registered; keep the files apart.",
    ),
}
HIT_CLEARED = (
    "Different person: other date of birth and home town.",
    "Checked with the applicant's references: not the same person.",
    "False alarm: common name, different patronymic.",
)
HIT_CONFIRMED = (
    "Confirmed by the security service.",
    "Same person: fingerprints on the earlier file match.",
)
WATCHLISTS = ("EU sanctions list", "national security list", "Interpol notice")
