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
# What was lost or destroyed is not what was handed over: "14 drones were shot down".
LOSS_AFTER = re.compile(
    r"\s+(?:[\w’'-]+\s+){0,3}?(?:were|was|have been|has been|had been|are|got)\s+(?:\w+ly\s+)?"
    r"(?:downed|shot down|destroyed|intercepted|killed|wounded|injured|captured|lost|damaged|"
    r"neutrali[sz]ed|eliminated)\b",
    re.IGNORECASE,
)
# "the $60 billion Ukraine had requested": asked for, not handed over.
# A total that the sentence goes on to break down ("a $60 billion package, of which $14 billion
# goes to ...").
TOTAL_AFTER = re.compile(r"(?:\s+[\w’'-]+){0,6}?\s*,?\s+(?:of which|out of which)\b", re.IGNORECASE)
REQUESTED_AFTER = re.compile(
    r"(?:\s+[\w’'-]+){0,6}?\s+(?:he|she|it|they|we|I|[A-Z][\w-]+)\s+(?:had|has|have)\s+(?:requested|sought|"
    r"asked for|demanded)\b"
)
# Goods carried inside what was handed over: "900 containers, which could hold 200,000 shells"
# moves the shells with the containers.
CARRIED_BEFORE = re.compile(
    r"\b(?:carr(?:y|ies|ied|ying)|accommodat(?:e|es|ed|ing)|hold(?:s|ing)?|contain(?:s|ed|ing)?|"
    r"packed with|loaded with|laden with|full of|filled with|equivalent to)\s+"
    r"(?:(?:up to|as many as|some|about|around|approximately|more than|over|nearly|roughly)\s+)*$",
    re.IGNORECASE,
)
# Who gave in a list of donors: "donors include Japan ($6 million) and Canada ($2.5 million)".
DONORS = re.compile(r"\b(?:donors?|contributors?|donated|contributed|pledged|gave)\b", re.IGNORECASE)
# "to support Moldova", "to help Chisinau": the state the money or goods are for.
FOR_STATE = re.compile(
    r"\bto\s+(?:support|help|aid|assist|arm|bolster|back|fund|finance|equip|strengthen)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Goods or people arriving somewhere, or kept there: "tonnes of Turkish flour arrived in
# Syria", "troops stationed in Belarus". Moves items only: "arrived with 5 ministers" moves no one.
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


# === Attributions: who a text attributes its claims to =============================================
# The words cited sources are read with (`_sources.py`). Everything above this line is about
# figures; everything below about attributions. Word sets are lower case unless said otherwise,
# with each form (plural, tense) written out.

# Verbs that attribute whatever follows them: "X said", "X warned of", "X announced a package".
SAY_VERBS = frozenset(
    "said says say told tells tell stated remarked explained explains emphasized emphasised "
    "emphasizes emphasises emphasize stressed stresses stress warned warns warn cautioned cautions "
    "argued argues argue insisted insists insist asserted asserts acknowledged acknowledges "
    "admitted admits admit conceded concedes denied denies deny announced announces announce "
    "declared declares reported reports report wrote writes tweeted tweets estimated estimates "
    "estimate predicted predicts forecast forecasts accused accuses accuse alleged alleges allege "
    "complained complains informed informs briefed testified disclosed discloses reiterated "
    "reiterates affirmed affirms reaffirmed contended contends believes believe urged urges urge "
    "recommended recommends highlighted highlights underscored underscores underlined commented "
    "replied quoted cited cites cite mentioned noted notes note confirmed confirms confirm advised "
    "advises".split()
)
# Verbs that are as often an action ("revealed a new missile", "added three firms to the list",
# "concluded talks"): they attribute only before "that", a colon, a quote, a clause, "to be" or
# the end of the sentence.
STRICT_VERBS = frozenset(
    "added adds add revealed reveals reveal showed shows show found finds find indicated indicates "
    "indicate suggested suggests suggest concluded concludes observed observes maintained maintains "
    "assessed assesses verified verifies claimed claims claim recalled hinted hints analyzed analysed "
    "analyzes analyses posted".split()
)
# Verbs whose subject must be a document ("the statement read", "data showed").
# Verbs only a document attributes with: "the report reads", "the study puts the total at $2bn".
DOCUMENT_VERBS = frozenset("read reads put puts".split())
# Verbs that may stand before their subject: '"...," said Kim', '"...," reads the report'.
INVERTIBLE_VERBS = frozenset("said says added adds wrote writes noted notes stated explained continued asked reads read".split())
# A participle after a comma attributes to the sentence's subject: "X defended the deal, saying ...".
PARTICIPLES = frozenset("saying adding noting stressing warning arguing claiming insisting explaining stating".split())
# Past participles that take an agent: "as revealed by X", "this was reported by X".
AGENT_VERBS = frozenset(
    "said reported stated revealed announced confirmed estimated claimed alleged expressed cited "
    "quoted noted voiced warned".split()
)
# Nouns of what a source said, before "by": "warnings by Washington", "claims made by X".
CLAIM_NOUNS = frozenset(
    "warning warnings statement statements claim claims remarks comments accusation accusations "
    "allegation allegations assessment assessments estimate estimates criticism calls appeals "
    "denial denials announcement announcements".split()
)
# Feelings expressed are views attributed: "X expressed concern".
EXPRESSED = frozenset(
    "optimism concern concerns hope hopes doubt doubts skepticism scepticism confidence regret "
    "support frustration fear fears worry worries dismay dissatisfaction disappointment alarm "
    "outrage anger opposition satisfaction readiness willingness".split()
)
# "X made a statement", "X made the remarks".
STATEMENT_NOUNS = frozenset("statement statements remarks comments announcement claim claims".split())

# Words that end a subject on its left: the start of a clause.
CLAUSE_WORDS = frozenset(
    "and but while as that which who whom because although though when after before since "
    "whereas so yet then where once meanwhile however what whatever nor".split()
)
# A clause opened by these is hypothetical or a question: nothing in it is attributed.
HYPOTHETICAL_WORDS = frozenset("if unless whether".split())
# Words between a subject and its verb: "Lee further analyzed", "has also said".
ADVERBS = frozenset(
    "also further previously recently earlier later first again repeatedly publicly privately "
    "separately once reportedly already often frequently similarly likewise yesterday today then "
    "now still initially subsequently originally officially formally openly explicitly directly "
    "immediately has have had just however meanwhile too even allegedly apparently specifically "
    "additionally jointly since itself himself herself themselves both all".split()
)
# Time words: "on Monday", "last week", "Thursday", "in early April".
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb aug sep sept oct nov dec week "
    "weekend month year day night morning afternoon evening today yesterday tonight".split()
)
TIME_LEADS = frozenset("on in last this earlier later early late mid next past".split())
# A verb after these is negated, a plan or a hypothesis: not attributed.
NEGATORS = frozenset(
    "not never n't would could might may will should can must shall to cannot won't wouldn't "
    "couldn't didn't doesn't don't hasn't haven't isn't wasn't".split()
)
BE_FORMS = frozenset("is are was were be been being".split())
# Words that cannot be inside a subject: verbs' helpers, pronouns, most prepositions.
NOT_IN_SUBJECT = frozenset(
    "is are was were be been being has have had will would can could should may might must do "
    "does did not no to by with from at in on into about over under after before during than "
    "against between through via among amid despite toward towards upon within without "
    "including it he she they we i you him them us me this these those along amid among across "
    "despite following under within without beyond throughout regarding concerning unlike per besides "
    "except near behind beside inside outside onto upon until till whether citing quoting".split()
)
DETERMINERS = frozenset("the a an this that these those its their his her our".split())
DEFINITE = frozenset("the this that these those its their his her our".split())
QUANTIFIERS = frozenset(
    "many some several most few two three four five six seven eight nine ten dozens dozen both all "
    "other various numerous multiple nearly about around over almost".split()
)
# Lower-case words inside a capitalised name: "Ministry of Economy and Finance", "Kim Il Sung".
NAME_CONNECTORS = frozenset("of for the on de du der van von bin al la le del da and &".split())
PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "group"}

# The noun a source is named by when it has no name ("officials said", "the ministry added"),
# singular -> its plural, and the kind such a source is by default.
SPEAKER_NOUNS = {
    # people who speak for someone
    "official": "government", "spokesperson": "government", "spokesman": "government",
    "spokeswoman": "government", "representative": "government", "diplomat": "government",
    "lawmaker": "government", "legislator": "government", "minister": "government",
    "envoy": "government", "ambassador": "government", "prosecutor": "government",
    "investigator": "government", "authority": "government", "officer": "military",
    "commander": "military", "source": "other", "analyst": "other", "expert": "other",
    "observer": "other", "researcher": "other", "economist": "other", "scholar": "other",
    "specialist": "other", "commentator": "other", "insider": "other", "critic": "other",
    "journalist": "news outlet", "reporter": "news outlet", "correspondent": "news outlet",
    "other": "other", "people": "other", "witness": "other", "resident": "other",
    "activist": "other", "medic": "other", "rescuer": "other", "villager": "other",
    "organiser": "other", "organizer": "other", "trader": "other", "investor": "other",
    # institutions
    "ministry": "government", "department": "government", "office": "government",
    "embassy": "government", "consulate": "government", "government": "government",
    "regime": "government", "administration": "government", "cabinet": "government",
    "presidency": "government", "parliament": "government", "legislature": "government",
    "commission": "government", "committee": "government", "council": "government",
    "court": "government", "bank": "government", "police": "government", "agency": "government",
    "bureau": "government", "directorate": "government", "secretariat": "government",
    "inspectorate": "government", "regulator": "government", "prosecutor's office": "government",
    "country": "government", "state": "government", "ally": "government", "partner": "government",
    "military": "military", "army": "military", "navy": "military", "forces": "military",
    "force": "military", "guard": "military", "corps": "military", "fleet": "military",
    "brigade": "military", "regiment": "military", "battalion": "military", "unit": "military",
    "command": "military", "intelligence": "intelligence agency", "service": "government",
    "mission": "international organisation", "organization": "international organisation",
    "organisation": "international organisation", "body": "other", "watchdog": "other",
    "monitor": "other", "institute": "think tank", "think tank": "think tank",
    "foundation": "think tank", "centre": "think tank", "center": "think tank",
    "group": "other", "company": "other", "firm": "other", "manufacturer": "other",
    "maker": "other", "newspaper": "news outlet", "daily": "news outlet", "paper": "news outlet",
    "broadcaster": "news outlet", "outlet": "news outlet", "media": "news outlet",
    "network": "news outlet", "channel": "news outlet", "website": "news outlet",
    "tabloid": "news outlet", "publication": "news outlet", "magazine": "news outlet",
    # documents
    "report": "other", "study": "other", "survey": "other", "analysis": "other",
    "assessment": "other", "data": "other", "statement": "other", "statistics": "other",
    "figures": "other", "estimate": "other", "document": "other", "information": "other",
    "findings": "other", "release": "other", "filing": "other", "bulletin": "other",
    "review": "other", "poll": "other", "research": "other", "tracker": "other", "database": "other",
    "dataset": "other", "tally": "other", "count": "other",
}  # fmt: skip
PLURAL_NOUNS = {
    "officials": "official", "spokespeople": "spokesperson", "spokespersons": "spokesperson",
    "representatives": "representative", "diplomats": "diplomat", "lawmakers": "lawmaker",
    "legislators": "legislator", "ministers": "minister", "envoys": "envoy", "prosecutors": "prosecutor",
    "investigators": "investigator", "authorities": "authority", "officers": "officer",
    "commanders": "commander", "sources": "source", "analysts": "analyst", "experts": "expert",
    "observers": "observer", "researchers": "researcher", "economists": "economist",
    "scholars": "scholar", "specialists": "specialist", "commentators": "commentator",
    "insiders": "insider", "critics": "critic", "journalists": "journalist", "reporters": "reporter",
    "witnesses": "witness", "residents": "resident", "activists": "activist", "medics": "medic",
    "rescuers": "rescuer", "villagers": "villager", "organisers": "organiser", "organizers": "organizer",
    "traders": "trader", "investors": "investor",
    "correspondents": "correspondent", "others": "other", "ministries": "ministry",
    "governments": "government", "countries": "country", "states": "state", "allies": "ally",
    "partners": "partner", "agencies": "agency", "reports": "report", "studies": "study",
    "surveys": "survey", "documents": "document", "estimates": "estimate", "statements": "statement",
    "media": "media", "companies": "company", "firms": "firm", "groups": "group",
}  # fmt: skip
# Nouns naming a document: "the report found", "according to the data", "a study by X".
DOCUMENT_NOUNS = frozenset(
    "report study survey analysis assessment data statement statistics figures estimate document "
    "information findings release filing bulletin review poll research paper tracker database dataset "
    "tally count".split()
)
# Nouns naming one person, who may have a name given elsewhere ("the minister" is the one named
# with that title before).
PERSON_NOUNS = frozenset(
    "official spokesperson spokesman spokeswoman representative diplomat lawmaker legislator "
    "minister envoy ambassador prosecutor investigator officer commander source analyst expert "
    "observer researcher economist scholar specialist commentator insider critic journalist "
    "reporter correspondent president premier chancellor secretary adviser advisor director chief "
    "head chairman chairwoman chair coordinator general admiral governor mayor senator leader "
    "deputy founder editor professor fellow".split()
)
# A person speaks for the institution after these: "a spokesperson for the ministry".
SPOKESPEOPLE = frozenset("spokesperson spokesman spokeswoman spokespeople representative official officials".split())
# Heads after a state that make the phrase the state itself: "the Iranian regime".
STATE_SPEAKER_HEADS = frozenset("government regime authorities authority leadership administration".split())
# Lower-case modifiers that do not tell one source from another ("the same ministry").
GENERIC_MODIFIERS = frozenset(
    "same new latest recent former top senior above aforementioned said current then annual "
    "official unnamed anonymous".split()
)
# Capitalised words that name a kind of institution and, alone after "the", refer back to one
# ("the Ministry", "the Commission").
GENERIC_NAMES = frozenset(
    "Ministry Mission Agency Commission Committee Council Department Office Embassy Government "
    "Institute Center Centre Foundation Bank Bureau Service Court Army Company Organization "
    "Organisation Administration Report Study Staff Command Forces".split()
)
# Titles before a name ("Russian President Vladimir Putin", "Secretary of State Marco Rubio").
TITLE_WORDS = frozenset(
    "President Vice Prime Premier Minister Deputy Secretary Spokesman Spokeswoman Spokesperson "
    "Chairman Chairwoman Chair Chief General Gen Gen. Lt Lt. Col Col. Maj Maj. Admiral Adm Adm. "
    "Ambassador Envoy Senator Sen Sen. Rep Rep. Representative Governor Gov Gov. Mayor Director "
    "Commander King Queen Chancellor Leader Supreme Dr Dr. Prof Prof. Professor Mr Mr. Mrs Mrs. Ms "
    "Ms. Miss Sir Lord Pope Adviser Advisor Counselor Coordinator High First Lady Foreign Defense "
    "Defence Unification Interior Justice Commerce Treasury Trade Finance Economy Economic Affairs "
    "Security National Homeland Intelligence Energy Health State Home Legal of for the Former "
    "former Acting Senior Head Prosecutor Attorney Speaker Lieutenant Colonel Major Captain Capt "
    "Sergeant Marshal Commissioner Inspector Undersecretary Under Assistant Executive Officer "
    "Press Policy Representative Coach Manager Judge Justice Bishop Archbishop Rabbi Imam Cardinal "
    "Pastor Reverend Rev Rev. Sheikh Prince Princess Emperor Ayatollah Chairperson Congressman "
    "Congresswoman Councillor Councilor Dean Superintendent Detective CEO Founder".split()
)
HONORIFICS = frozenset("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. Professor Gen Gen. Miss Sir".split())
# Capitalised words that open a sentence or clause and are never part of a source's name.
NON_NAME_WORDS = frozenset(
    "The A An However Meanwhile Additionally Also But And Still Yet Separately Earlier Later Then "
    "Moreover Furthermore Instead Nonetheless Nevertheless Indeed Similarly Likewise Finally First "
    "Second Third In On At As For With By From Last This That These Those Regarding Speaking "
    "Commenting Asked When While After Before Now Today Yesterday Both Such Some Many Several "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December If Although Though Because Since So "
    "Thus Therefore Hence Here There What Why How Who Where Which Even Only Just Notably Read "
    "Recently Previously Currently According Based Despite Whatever Its Their His Her Our It He "
    "She They We I Whether Unless Until Amid During Under Over Through Following".split()
)
# Unnamed sources capitalised at the start of a sentence ("Experts suggest"): read as nouns.
CAPITALISED_NOUNS = frozenset(
    "Experts Officials Analysts Critics Observers Diplomats Sources Residents Lawmakers Scholars "
    "Researchers Authorities Insiders Activists Witnesses Others Reports Media Commentators Residents "
    "Medics Rescuers Villagers Organisers Organizers Traders Investors Police "
    "Economists Investors Scientists Journalists Reporters Data Figures Statistics Study Report".split()
)

# Cue words for institutions missing from the kinds table, checked in the order of
# SOURCE_KIND_CUES: "Korean Central News Agency" is news before it is an agency, "Defense
# Intelligence Agency" intelligence before government, "Ministry of Defense" government before
# military.
SOURCE_KIND_CUES = (
    ("intelligence agency", re.compile(
        r"\b(?:Intelligence|[Ss]py|[Ii]ntelligence (?:[Aa]gency|[Ss]ervice|[Aa]gencies)|military intelligence|NIS|CIA|DIA|NSA|ODNI|"
        r"MI6|MI5|GCHQ|Mossad|FSB|SVR|GRU|SBU|DGSE|BND)\b")),
    ("government", re.compile(
        r"\b(?:Ministry|Ministries|Department|Office|Embassy|Consulate|Pentagon|Kremlin|White House|"
        r"Cabinet|Presidential|Presidency|Secretariat|Politburo|Treasury|Prosecutor|Customs)\b")),
    ("military", re.compile(
        r"\b(?:Army|Navy|Air Force|Armed Forces|Forces|Military|Marine Corps|Marines|Joint Chiefs|"
        r"Chiefs of Staff|General Staff|Command|Coast Guard|National Guard|Fleet|Brigade|Regiment|"
        r"military|army|navy|armed forces)\b")),
    ("state media", re.compile(r"\b(?:state media|state-run media|state news agency|state broadcaster)\b")),
    ("news outlet", re.compile(
        r"\b(?:News|Times|Post|Herald|Journal|Daily|Tribune|Gazette|Sinmun|Shinmun|Ilbo|Shimbun|"
        r"Broadcasting|Television|TV|Radio|Press|Telegraph|Guardian|Chronicle|Observer|Wire|Express|"
        r"Voice of|Insider|Magazine|Review|Weekly|Monitor|Interfax)\b|\w\.(?:com|net|org|ua|ru|kr|"
        r"co|info|io|news)$|\.[^\W\d_]{2,3}$")),
    ("international organisation", re.compile(
        r"\b(?:United Nations|UN|U\.N\.|World|International (?:Atomic|Monetary|Labour|Labor|"
        r"Organi[sz]ation|Committee|Court|Criminal|Energy|Maritime|Civil|Red|Federation|Fund)|NATO|"
        r"European Union|European Commission|EU|E\.U\.|OSCE|UNICEF|UNHCR|UNESCO|OHCHR|UNDP|WFP|FAO|WHO|"
        r"IMF|IAEA|OPCW|ASEAN|African Union|Red Cross|Red Crescent|G7|G20)(?!\w)|(?:Programme|Program)$|"
        r"\b(?:Treaty|Cooperation|Co-operation|Security and Co-operation)\b.*\bOrgani[sz]ation\b|"
        r"\bOrgani[sz]ation (?:of|for) ")),
    ("think tank", re.compile(
        r"\b(?:Institute|Institution|Center|Centre|Foundation|Endowment|Think Tank|think tank|"
        r"Council on|Forum|Studies|research group|research institute)\b")),
    ("government", re.compile(
        r"\b(?:[Gg]overnment|Parliament|Congress|Senate|Assembly|Duma|Commission|Committee|Bureau|"
        r"Administration|Agency|Service|Police|Court|Council|Central Bank|Bank of|Reserve|Authority|"
        r"Directorate|Inspectorate|Coast Guard|Ministry)\b")),
)  # fmt: skip
# Words that make a capitalised phrase an organisation or a place, never a person's name.
NOT_A_PERSON = re.compile(
    r"\b(?:University|College|School|Academy|Party|Corporation|Corp\.?|Company|Co\.|Inc\.?|Group|"
    r"Bank|Fund|Organization|Organisation|Union|Association|Society|League|Club|Holdings|"
    r"Electronics|Motors|Industries|Industry|Systems|Technologies|Airlines|Shipbuilding|Heavy|"
    r"Aerospace|Dynamics|Energy|Oil|Gas|Steel|Chemical|Telecom|Pharma|Capital|Partners|Ventures|"
    r"Korea|China|Russia|Japan|Taiwan|States|Kingdom|Republic|Peninsula|Square|Street|Sea|River|"
    r"Province|Oblast|Region|City|Island|Islands|Strait|Day|Summit|Games|War|Act|Treaty|Port|"
    r"Airport|Station|Base|Plant|Facility|Reactor|International|Watch|Federation|Alliance|Network|"
    r"Coalition|Initiative|Trust|Project|Movement|Front|Borders|Foundation|Agency|Service)\b"
)
# Role words that tell a named institution's kind: "the think tank X", "news agency Yonhap".
ROLE_KIND_CUES = (
    ("state media", re.compile(r"\b(?:state(?:-run|-owned|-controlled)? (?:media|news|newspaper|broadcaster|"
                               r"television|agency|outlet|daily)|mouthpiece|official newspaper)\b", re.I)),
    ("news outlet", re.compile(r"\b(?:news ?agency|newspaper|daily|broadcaster|outlet|news site|"
                               r"website|magazine|tabloid|channel|TV|publication|paper|news)\b", re.I)),
    ("think tank", re.compile(r"\b(?:think[- ]tank|research (?:group|institute|center|centre|organi[sz]ation)|"
                              r"institute|monitoring group|nonprofit|non-profit)\b", re.I)),
    ("intelligence agency", re.compile(r"\b(?:spy agency|intelligence)\b", re.I)),
    ("military", re.compile(r"\b(?:military|army|navy|armed forces)\b", re.I)),
    ("other", re.compile(r"\b(?:company|firm|manufacturer|maker|contractor|producer|operator|"
                         r"conglomerate|developer|carrier|exporter)\b", re.I)),
)  # fmt: skip

# The kinds of source each kind of source may be called by later ("the agency" for a news
# agency, "the think tank"), and words that fit any source of a kind ("the UN agency").
KIND_HEADS = {
    "news outlet": {"outlet", "newspaper", "paper", "daily", "broadcaster", "agency", "media", "publication",
                    "channel", "network", "website", "magazine", "tabloid"},
    "state media": {"outlet", "newspaper", "paper", "daily", "broadcaster", "agency", "media", "publication",
                    "channel", "network", "website", "tabloid", "mouthpiece"},
    "think tank": {"think tank", "institute", "group", "organization", "organisation", "center", "centre",
                   "foundation", "body"},
    "international organisation": {"organization", "organisation", "agency", "body", "mission"},
    "military": {"military", "army", "forces", "command"},
    "intelligence agency": {"agency", "intelligence", "service"},
}  # fmt: skip
KIND_WORDS = {
    "international organisation": {"un", "u.n.", "united", "nations", "international", "world"},
    "military": {"military", "army"},
    "intelligence agency": {"intelligence", "spy"},
    "state media": {"state", "state-run", "official"},
    "news outlet": {"news"},
}
# What a state's government may be called: "the government", "the regime", "the country".
STATE_SOURCE_HEADS = frozenset("government regime authority administration country state leadership".split())
# Nouns of institutions (not people, not documents).
INSTITUTION_HEADS = frozenset(
    "bureau directorate secretariat inspectorate regulator ministry department office embassy consulate "
    "government regime administration cabinet presidency parliament legislature commission committee "
    "council court bank police agency military army navy forces command intelligence service mission "
    "organization organisation body watchdog monitor institute think tank foundation centre center group "
    "company firm manufacturer maker newspaper daily paper broadcaster outlet media network channel "
    "website tabloid publication magazine".split()
)
# Nouns of unnamed people who speak for someone: "the source" may be "the official" met before.
PERSON_SYNONYMS = frozenset("official source spokesperson representative diplomat".split())
# One spelling for nouns written two ways.
SAME_NOUN = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "organization": "organisation",
             "center": "centre", "advisor": "adviser"}  # fmt: skip
# Nouns of a kind of source that may follow its name: "the KCNA news agency", "the Nordwind company".
TYPE_NOUNS = frozenset(
    "newspaper daily broadcaster channel outlet website tabloid magazine company firm think tank "
    "manufacturer carrier".split()
)
# Participles between a document and its publisher: "data compiled by X".
DOCUMENT_PARTICIPLES = frozenset("compiled released published issued provided posted conducted prepared".split())
# Words in "-ed" that describe rather than act: "officials based in Seoul".
PARTICIPLE_ADJECTIVES = frozenset(
    "based involved concerned unnamed related associated named affiliated authorized authorised appointed".split()
)
# An aside between a speaker and the verb: "X, during a visit to Warsaw, announced".
ASIDE_WORDS = frozenset("during in at on after before while when speaking visiting addressing".split())
OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they"}
# Words that open what follows a speaker's phrase and describes it: "an official familiar with".
POST_WORDS = frozenset("in at for of from with on based close familiar speaking who which whose responsible".split())
# Verbs of a clause: "revealed China was selling" attributes, "revealed a new missile" does not.
FINITE_WORDS = frozenset("is are was were had has have will would could can may might did does do shall must".split())
# A verb followed by these tells what a source does, not what it claims: "reports annually on".
HABITUAL = frozenset("annually regularly weekly daily monthly quarterly yearly routinely periodically".split())
# Verbs of the press: an institution the table does not know that reports is a news outlet.
MEDIA_VERBS = frozenset("reported reports wrote writes".split())
# "X released a report", "X published satellite images": what is published.
PUBLISH_VERBS = frozenset("released releases published publishes issued issues unveiled unveils".split())
PUBLISHED = DOCUMENT_NOUNS | frozenset("images imagery photos photographs footage video videos map maps".split())
# Names of two words after one of these are titles of publications, not people: "Le Monde".
FOREIGN_ARTICLES = frozenset("Der Die Das Le La Les El Il Lo".split())
# Title words that only qualify the title after them ("Foreign" in "Foreign Minister").
TITLE_MODIFIERS = frozenset(
    "Vice Prime Deputy Supreme First Foreign Defense Defence Unification Interior Justice Commerce Treasury "
    "Trade Finance Economy Economic Affairs Security National Homeland Intelligence Energy Health State Home "
    "Legal Former Acting Senior High Lady Press Policy Under Assistant Executive Special US UK EU".split()
)
