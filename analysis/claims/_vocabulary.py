"""The words and patterns figures are read with: currencies, scales, units, goods, qualifiers,
transfer verbs and nouns, and what is not a quantity. Kept apart from the reading itself (as
trafilatura keeps its XPath expressions apart), so that either can change without reading the
other."""

from __future__ import annotations

import re

SYMBOLS = {
    "US$": "USD", "U.S.$": "USD", "US $": "USD", "NT$": "TWD", "HK$": "HKD", "A$": "AUD", "C$": "CAD",
    "S$": "SGD", "CN¥": "CNY", "RMB¥": "CNY", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW",
    "₽": "RUB", "₹": "INR", "₴": "UAH",
}  # fmt: skip
CODES = set(
    "USD EUR GBP JPY KRW KPW RUB CNY TWD HKD AUD CAD CHF INR UAH IRR SGD ZAR TRY PLN ILS THB MYR IDR VND NGN "
    "SAR AED SEK NOK DKK BRL MXN ARS KZT GEL AMD BYN MNT PKR EGP QAR KWD NZD PHP CZK HUF RON".split()
)
CURRENCY_WORDS = {
    "us dollars": "USD", "u.s. dollars": "USD", "american dollars": "USD", "new taiwan dollars": "TWD",
    "taiwan dollars": "TWD", "hong kong dollars": "HKD", "australian dollars": "AUD",
    "canadian dollars": "CAD", "singapore dollars": "SGD", "dollars": "USD", "dollar": "USD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP",
    "sterling": "GBP", "yen": "JPY", "north korean won": "KPW", "won": "KRW", "yuan": "CNY",
    "renminbi": "CNY", "rmb": "CNY", "rubles": "RUB", "roubles": "RUB", "ruble": "RUB", "rouble": "RUB",
    "hryvnias": "UAH", "hryvnia": "UAH", "rupees": "INR", "rials": "IRR", "swiss francs": "CHF",
    "rand": "ZAR", "lira": "TRY", "liras": "TRY", "zloty": "PLN", "zlotys": "PLN", "shekels": "ILS",
    "baht": "THB", "ringgit": "MYR", "rupiah": "IDR", "dong": "VND", "naira": "NGN", "kronor": "SEK",
    "tenge": "KZT", "lari": "GEL", "drams": "AMD", "tugriks": "MNT", "forints": "HUF",
    # Names several currencies share: kept as written, still money.
    "pesos": "pesos", "francs": "francs", "cfa francs": "CFA francs", "dinars": "dinars",
    "riyals": "riyals", "dirhams": "dirhams", "kroner": "kroner", "krone": "kroner",
}  # fmt: skip
# Hundredths: "70 euro cents" is 0.70 EUR.
SUBUNITS = {"euro cents": "EUR", "cents": "USD", "us cents": "USD", "pence": "GBP", "kopecks": "RUB"}
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "bn": 9, "bln": 9, "b": 9,
           "mn": 6, "mln": 6, "m": 6, "tn": 12, "trn": 12, "k": 3}  # fmt: skip
LONG_SCALES = {"thousand", "million", "billion", "trillion"}
SCALE_WORDS = "thousand|million|billion|trillion|bn|bln|mn|mln|tn|trn|k|m|b"

# Things that can be handed over, with the unit they are counted in.
ITEM_UNITS = {
    "shell": "shells", "shells": "shells", "round": "rounds", "rounds": "rounds", "missile": "missiles",
    "missiles": "missiles", "rocket": "rockets", "rockets": "rockets", "troops": "troops",
    "soldiers": "troops", "servicemen": "troops", "personnel": "troops", "workers": "workers",
    "labourers": "workers", "laborers": "workers", "container": "containers", "containers": "containers",
    "tonne": "tonnes", "tonnes": "tonnes", "ton": "tonnes", "tons": "tonnes", "barrel": "barrels",
    "barrels": "barrels", "drone": "drones", "drones": "drones", "tank": "tanks", "tanks": "tanks",
    "launcher": "launchers", "launchers": "launchers", "howitzer": "howitzers", "howitzers": "howitzers",
    "vehicles": "vehicles", "jets": "jets", "aircraft": "aircraft", "helicopters": "helicopters",
    "doses": "doses", "rifles": "rifles", "guns": "guns", "bullets": "bullets", "grenades": "grenades",
    "mines": "mines", "cartridges": "cartridges", "wagons": "wagons", "railcars": "railcars",
    "trucks": "trucks", "ships": "ships", "vessels": "vessels",
}  # fmt: skip

# What was given: phrase -> category. Longest phrases first when matching.
GOODS = {
    "artillery shells": "ammunition", "artillery rounds": "ammunition", "ammunition": "ammunition",
    "munitions": "ammunition", "munition": "ammunition", "ammo": "ammunition", "shells": "ammunition",
    "shell": "ammunition", "rounds": "ammunition", "bullets": "ammunition", "cartridges": "ammunition",
    "missiles": "missiles", "missile": "missiles", "rockets": "missiles", "weapons": "weapons",
    "weapon": "weapons", "arms": "weapons", "weaponry": "weapons", "artillery": "weapons",
    "tanks": "weapons", "tank": "weapons", "howitzers": "weapons", "launchers": "weapons",
    "rifles": "weapons", "guns": "weapons", "armoured vehicles": "weapons", "armored vehicles": "weapons",
    "air defence systems": "weapons", "air defense systems": "weapons", "fighter jets": "weapons",
    "jets": "weapons", "warplanes": "weapons", "helicopters": "weapons", "drones": "drones",
    "drone": "drones", "troops": "troops", "soldiers": "troops", "servicemen": "troops",
    "workers": "workers", "labourers": "workers", "laborers": "workers", "labour": "workers",
    "labor": "workers", "food": "food", "foodstuffs": "food", "rice": "food", "wheat": "food",
    "grain": "food", "grains": "food", "flour": "food", "corn": "food", "maize": "food",
    "soybeans": "food", "sugar": "food", "fuel": "fuel", "oil": "fuel", "crude": "fuel",
    "petroleum": "fuel", "diesel": "fuel", "gasoline": "fuel", "petrol": "fuel", "natural gas": "fuel",
    "lng": "fuel", "coal": "coal", "technology": "technology", "technologies": "technology",
    "know-how": "technology", "medicine": "medicine", "medicines": "medicine",
    "medical supplies": "medicine", "vaccine": "medicine", "vaccines": "medicine",
    "humanitarian aid": "humanitarian aid", "humanitarian assistance": "humanitarian aid",
    "equipment": "equipment", "components": "equipment", "parts": "equipment",
    "dual-use goods": "equipment", "machinery": "equipment", "cash": "cash", "hard currency": "cash",
    "fertiliser": "fertiliser", "fertilizer": "fertiliser", "fertilisers": "fertiliser",
    "fertilizers": "fertiliser",
}  # fmt: skip

# Normalised qualifiers: phrase (lower case) -> one of a small vocabulary.
QUALIFIERS = {
    "approximately": "approximately", "approx.": "approximately", "approx": "approximately",
    "about": "approximately", "around": "approximately", "roughly": "approximately",
    "some": "approximately", "an estimated": "approximately", "estimated": "approximately",
    "nearly": "approximately", "almost": "approximately", "close to": "approximately",
    "circa": "approximately", "ca.": "approximately", "~": "approximately", "at least": "at least",
    "no less than": "at least", "no fewer than": "at least", "a minimum of": "at least",
    "more than": "more than", "over": "more than", "above": "more than", "in excess of": "more than",
    "upwards of": "more than", "exceeding": "more than", "well over": "more than",
    "just over": "more than", "at most": "at most", "up to": "at most", "no more than": "at most",
    "as much as": "at most", "as many as": "at most", "a maximum of": "at most",
    "less than": "less than", "fewer than": "less than", "below": "less than", "under": "less than",
    "just under": "less than", "short of": "less than", "exactly": "exactly", "precisely": "exactly",
}  # fmt: skip

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")  # fmt: skip
# Capitalised words that may stand right before a figure; any other capitalised word makes the
# number part of a name ("Resolution 2397", "Leopard 2", "Unit 731").
CAPITALISED_OK = {
    "about", "some", "nearly", "almost", "around", "approximately", "roughly", "over", "exactly",
    "only", "just", "another", "all", "the", "these", "those", "its", "their", "his", "her", "our",
    "by", "in", "on", "from", "with", "of", "at", "up", "to", "under", "below", "above", "between",
    "more", "less", "fewer", "an", "a", "estimated", "and", "but", "for", "than", "circa",
    "precisely", "since", "until", "after", "before", "during", "additional", "total", "even",
    "well", "perhaps", "approx", "least", "most", "whereas", "while", "as", "then",
}  # fmt: skip
# Lower-case words after which a number is a label, not a quantity.
LABEL_WORDS = {"no.", "no", "nos.", "number", "page", "pages", "p.", "article", "section", "chapter",
                "paragraph", "resolution", "flight", "unit", "room", "route", "phase", "stage", "version",
                "type", "model", "rank", "ranked", "category", "line", "channel", "episode", "aged",
                "#"}  # fmt: skip
# Words that end the search for a counted noun after a number.
STOP = set(
    "of in to from on at by for and or the a an that which who whom whose was were is are be been has have had "
    "will would could should may might can last this these those per each since than with into over under as "
    "its their his her our it they he she we i so but nor if "
    "when while after before during until up down out off about against between through via among".split()
)  # fmt: skip
# Measurements: read, kept as kind "other", never a flow.
MEASURES = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km", "miles": "miles",
    "mile": "miles", "metres": "metres", "meters": "metres", "cubic metres": "cubic metres",
    "cubic meters": "cubic metres", "bcm": "cubic metres", "square kilometres": "square km",
    "square kilometers": "square km", "sq km": "square km", "hectares": "hectares", "kg": "kg",
    "kilograms": "kg", "megawatts": "MW", "mw": "MW", "gigawatts": "GW", "gw": "GW", "years": "years",
    "year": "years", "months": "months", "month": "months", "weeks": "weeks", "week": "weeks",
    "days": "days", "day": "days", "hours": "hours", "hour": "hours", "decades": "decades",
    "mph": "mph", "knots": "knots", "mm": "mm", "millimetre": "mm", "millimetres": "mm",
    "millimeter": "mm", "millimeters": "mm", "cm": "cm", "calibre": "calibre", "caliber": "calibre",
}  # fmt: skip
# Plural nouns that do not end in "s".
PLURALS = {"people", "children", "men", "women", "staff", "livestock", "cattle", "sheep", "police", "crew"}
NOT_NOUNS = set(
    "was has is does goes remains seems shows means represents exceeds marks comes makes takes gets stands "
    "appears accounts amounts totals reflects suggests indicates includes helps plus across less unless "
    "thus always perhaps towards afterwards news".split()
)  # fmt: skip

NEGATION = re.compile(
    r"\b(?:not|never|no longer|denied|denies|deny|denying|refused|refuses|refuse|rejected|rejects|"
    r"dismissed|dismisses|declined|yet to|failed to|without)\b|n[’']t\b",
    re.IGNORECASE,
)
# A request, a cap or a demand for money is not money handed over.
NOT_A_TRANSFER = re.compile(
    r"\b(?:asked|asks|ask|asking|requested|requests|request|sought|seeks|seek|seeking|demanded|demands|"
    r"demand|urged|urges|called for|calls for|appealed|caps?|capped|ceiling|quota|banned|barred|"
    r"prohibited|forbidden|limits?|limited to)\b",
    re.IGNORECASE,
)

GIVE_VERBS = (
    r"provid(?:e|es|ed|ing)|suppl(?:y|ies|ied|ying)|sen(?:d|ds|t|ding)|ship(?:s|ped|ping)?|"
    r"deliver(?:s|ed|ing)?|transfer(?:s|red|ring)?|g(?:ive|ives|iven|iving|ave)|export(?:s|ed|ing)?|"
    r"sell(?:s|ing)?|sold|donat(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|grant(?:s|ed|ing)?|"
    r"len(?:d|ds|t|ding)|loaned|pa(?:y|ys|id|ying)|offer(?:s|ed|ing)?|contribut(?:e|es|ed|ing)|"
    r"deploy(?:s|ed|ing)?|dispatch(?:es|ed|ing)?|transport(?:s|ed|ing)?|commit(?:s|ted|ting)?|"
    r"allocat(?:e|es|ed|ing)|approv(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|extend(?:s|ed|ing)?|"
    r"earmark(?:s|ed|ing)?|disburs(?:e|es|ed|ing)|funnel(?:s|ed|led|ing)?|smuggl(?:e|es|ed|ing)|"
    r"hand(?:s|ed|ing)(?: over)?|hand over|invest(?:s|ed|ing)?|compensat(?:e|es|ed|ing)|flown|flew|went|flowed|"
    r"reserv(?:e|es|ed|ing)|set aside|devot(?:e|es|ed|ing)|designat(?:e|es|ed|ing)"
)
RECEIVE_VERBS = (
    r"receiv(?:e|es|ed|ing)|obtain(?:s|ed|ing)?|acquir(?:e|es|ed|ing)|import(?:s|ed|ing)?|"
    r"b(?:uy|uys|ought|uying)|purchas(?:e|es|ed|ing)|accept(?:s|ed|ing)?|earn(?:s|ed|ing)?|"
    r"procur(?:e|es|ed|ing)|took delivery|tak(?:e|es|ing) delivery|secur(?:e|es|ed|ing)"
)
GIVE_NOUNS = (
    r"aid|support|assistance|deliver(?:y|ies)|shipments?|transfers?|exports?|compensation|payments?|"
    r"loans?|grants?|contributions?|donations?|packages?|supplies|sales|funding|subsidies|investments?|"
    r"pledges?|credits?|gifts?|arms|tranches?"
)
RECEIVE_NOUNS = r"imports|purchases|receipts|procurement"
# What was lost or destroyed is not what was handed over: "11 drones were downed".
LOSS_AFTER = re.compile(
    r"\s+(?:[\w’'-]+\s+){0,3}?(?:were|was|have been|has been|had been|are|got)\s+(?:\w+ly\s+)?"
    r"(?:downed|shot down|destroyed|intercepted|killed|wounded|injured|captured|lost|damaged|"
    r"neutrali[sz]ed|eliminated)\b",
    re.IGNORECASE,
)
# "the $105 billion he had requested": asked for, not handed over.
REQUESTED_AFTER = re.compile(
    r"(?:\s+[\w’'-]+){0,6}?\s+(?:he|she|it|they|we|I|[A-Z][\w-]+)\s+(?:had|has|have)\s+(?:requested|sought|"
    r"asked for|demanded)\b"
)
# Goods carried inside what was handed over: "6,700 containers, which could hold up to 3 million
# rounds" moves the rounds with the containers.
CARRIED_BEFORE = re.compile(
    r"\b(?:carr(?:y|ies|ied|ying)|accommodat(?:e|es|ed|ing)|hold(?:s|ing)?|contain(?:s|ed|ing)?|"
    r"packed with|loaded with|laden with|full of|filled with|equivalent to)\s+"
    r"(?:(?:up to|as many as|some|about|around|approximately|more than|over|nearly|roughly)\s+)*$",
    re.IGNORECASE,
)
# Who gave in a list of donors: "donors include Japan ($3.1 million) and Canada ($1 million)".
DONORS = re.compile(r"\b(?:donors?|contributors?|donated|contributed|pledged|gave)\b", re.IGNORECASE)
# "to support Ukraine", "to help Kyiv": the state the money or goods are for.
FOR_STATE = re.compile(
    r"\bto\s+(?:support|help|aid|assist|arm|bolster|back|fund|finance|equip|strengthen)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Goods or people arriving somewhere, or kept there: "tons of Russian wheat arrived in North
# Korea", "troops deployed in Belarus". Moves items only: "arrived with 5 ministers" moves no one.
ARRIVE_VERBS = r"arriv(?:e|es|ed|ing)|stationed|landed|unload(?:s|ed)?"
# "a ship carrying ...", "the ships": the vessel, not the verb.
SHIP_NOUN = re.compile(
    r"(?:\b(?:a|an|the|this|that|its|their|each|every|one|two|three|four|cargo|supply|naval|war)\s+(?:[\w-]+\s+)?)$",
    re.IGNORECASE,
)
TRIGGER = re.compile(
    rf"(?<![\w-])(?:(?P<gv>{GIVE_VERBS})|(?P<rv>{RECEIVE_VERBS})|(?P<gn>{GIVE_NOUNS})|(?P<rn>{RECEIVE_NOUNS})"
    rf"|(?P<av>{ARRIVE_VERBS}))(?![\w-])",
    re.IGNORECASE,
)
# Words that are verbs or nouns ("exports", "transfers"); after a possessive or an article, nouns.
NOUN_TRIGGER = re.compile(
    rf"(?:{GIVE_NOUNS}|{RECEIVE_NOUNS}|transfer|export|import|offer|grant)", re.IGNORECASE
)
NOUN_BEFORE = re.compile(
    r"(?:[’']s?|\b(?:its|their|the|a|an|this|these|those|his|her))\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE
)
# "South Korea's KAI delivered", "Russia's state arms exporter sold": the owner of the subject.
OWNER_OF_SUBJECT = re.compile(
    r"[’']s?\s+(?:[\w-]+\s+){1,4}(?:(?:has|have|had|will|would|also|reportedly)\s+)*"
)
# "These shipments", "such deliveries", "They": the transfer named in the sentence before.
ANAPHORIC = re.compile(
    r"(?:\b(?:[Tt]hese|[Tt]hose|[Ss]uch|[Tt]his|[Tt]hat|[Tt]he)\s+(?:[\w-]+\s+){0,2}$|^\s*They\b)"
)
PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|get|gets|got)\s+(?:\w+ly\s+)?$", re.IGNORECASE
)
PRONOUN = re.compile(r"(?<![\w’'])(?:[Ii]ts?|[Tt]he (?:country|regime|nation|government))(?![\w’'])")
# Capitalised words after a state's name that still mean the state ("US Congress").
STATE_INSTITUTIONS = (
    r"Congress|Treasury|Department|Army|Navy|Air Force|Government|Ministry|Senate|State Department|"
    r"Administration|Forces|Embassy|Defen[cs]e|Foreign Ministry|Cabinet|Parliament|President|Prime Minister|"
    r"House|Council|Commission|Coast Guard|Marines?|Mission|Ambassador|Envoy|Joint Chiefs|Military|Intelligence"
)
# Nouns after a state's name or adjective that make it a company or a public, not the state.
BUSINESS_NOUNS = (
    r"firms?|compan(?:y|ies)|banks?|giants?|groups?|consortium|retailers?|carriers?|airlines?|affiliates?|"
    r"subsidiar(?:y|ies)|shoppers|consumers|investors|stocks|shares|markets?|businesses|exporters?|"
    r"importers?|manufacturers?|makers?|operators?|lenders?|insurers?|brokers?|funds?"
)
# Words that make "Chinese" or "Kim Jong Un's" stand for the state itself.
STATE_HEADS = r"government|authorities|regime|military|army|navy|leadership|state|forces"
PREPOSITIONS = set(
    "to from by for with of in on against between into at than toward towards over across regarding like "
    "including among via through under about amid despite upon within after before and or".split()
)  # fmt: skip

REPORT_VERBS = (
    r"said|says|say|told|tells|reported|reports|claimed|claims|estimated|estimates|added|adds|noted|notes|"
    r"stated|states|announced|announces|confirmed|confirms|showed|shows|show|found|finds|revealed|reveals|"
    r"wrote|writes|argued|argues|warned|warns|insisted|insists|believes|believe|suggested|suggests|"
    r"concluded|concludes|put|puts"
)
SOURCE_END = re.compile(
    rf",\s*(?P<src>[^,;“”\"]{{2,90}}?)\s+(?:has\s+|have\s+|had\s+)?(?:{REPORT_VERBS})"
    r"(?:\s+(?:on|in|last|this|earlier|late|in a)\s+\w+)*\s*[.!?\"”’]*\s*$"
)
SOURCE_END_INVERTED = re.compile(r",\s*(?:said|says|according to)\s+(?P<src>[^,;]{2,90}?)\s*[.!?\"”]*\s*$")
SOURCE_START = re.compile(
    rf"^(?:[^,]{{0,60}},\s+)?(?P<src>(?:[A-Z]|the |a |an )[^,;:“”\"]{{1,90}}?)\s+(?:has\s+|have\s+|had\s+)?"
    rf"(?P<verb>{REPORT_VERBS})\b(?:\s+that\b)?"
)
ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<src>[^,;()]+?)(?=\s*(?:[,;()]|[.!?]\s*$|$))")
SOURCE_NOUNS = re.compile(
    r"\b(?:report|study|analysis|estimate|data|survey|paper|assessment|institute|ministry|agency|"
    r"government|officials?|service|intelligence|documents?)\b",
    re.IGNORECASE,
)
PRONOUN_SOURCES = {"he", "she", "they", "it", "we", "i", "experts", "analysts"}
REPORT_REFERENCE = re.compile(
    r"^(?:the|this|that|its|their|a)\s+(report|study|paper|analysis|survey|assessment)$", re.IGNORECASE
)
ORGANISATION = re.compile(
    r"(?:[A-Z][\w’'.-]*\s+){0,5}(?:Institute|Institution|Center|Centre|Council|Foundation|University|"
    r"Ministry|Agency|Service|Office|Bank|Fund|Programme|Program|Commission|Association|Forum|Academy|"
    r"Corporation|Committee|Department|Bureau|Initiative|Project|Group|Studies|Research)\b"
    r"(?:\s+(?:of|for|on)\s+(?:[A-Z][\w’'-]*(?:\s+|$)|and\s+){1,5})?"
)

NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d]|,\d)")
WORD_UNITS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# Written-out numbers count only with a scale word ("three million rounds"); "two officials" is
# prose, not a claim an analyst would chart.
DIGIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"  # "twenty-five", "thirty one"
WORD_NUMBER = re.compile(
    rf"(?<![\w-])(?P<half>half\s+)?(?P<words>(?:{'|'.join(WORD_UNITS)})(?:[- ](?:{DIGIT_WORDS}))?)"
    r"(?:[\s-]+(?P<hundred>hundred))?(?:\s+|-)(?P<scale>thousand|million|billion|trillion)\b",
    re.IGNORECASE,
)
# What any figure needs: the digits of NUMBER or the scale word of WORD_NUMBER (same case
# rule), so that a sentence without one is known to hold no figure before it is read.
FIGURE_START = re.compile(r"\d|thousand|million|billion|trillion", re.IGNORECASE)
CLAUSE_BREAK = re.compile(
    r";|\s[—–-]\s|,\s+(?:while|whereas|but|although|though)\b|\s+but\s|^\s*(?:In contrast|By contrast),",
    re.IGNORECASE,
)
# "to help ...", "to shore up ...": what money is for, after the figure (not "to the DPRK").
PURPOSE = re.compile(r"\bto\s+(?!(?:the|a|an)\b)[a-z]+(?![\w’'])")
RELATIVE = re.compile(r",\s+(?:which|who|whose|where)\b[^,;]*(?:,|$)")
