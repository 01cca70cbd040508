"""Vocabulary of the country gazetteer, as plain data.

Every form is casefolded, uses "'" as its only apostrophe and "е" for "ё", because texts are
normalised the same way before matching. Forms of one country are joined with "|" to keep the
file short; a form with spaces is a phrase matched word by word. ``core.gazetteer_tables`` adds
Babel's CLDR names of every country; what is here is what CLDR lacks: short and old names,
spellings in the region's other scripts, demonyms, adjective stems and cities.
"""

from typing import Final


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


# Names of the countries themselves, in English, Russian and the five local languages.
NAMES: Final[dict[str, str]] = {
    "KZ": (
        "kazakhstan|kazakstan|qazaqstan|qazakstan|kazakhstan republic|казахстан|қазақстан|"
        "казакстан|qozog'iston|қозоғистон|қазоқистон|gazagystan|казакыстан|қр"
    ),
    "KG": (
        "kyrgyzstan|kirgizstan|kirghizstan|kyrgyzia|kirgizia|kirghizia|kyrgyz republic|"
        "кыргызстан|киргизстан|киргизия|кыргызская республика|қырғызстан|qirg'iziston|"
        "қирғизистон|gyrgyzystan"
    ),
    "UZ": (
        "uzbekistan|o'zbekiston|ozbekiston|uzbekiston|узбекистан|узбекистон|өзбекстан|ўзбекистон|"
        "ӯзбекистон|özbegistan|ozbegistan"
    ),
    "TJ": (
        "tajikistan|tadjikistan|tadzhikistan|tojikiston|таджикистан|тәжікстан|тажикстан|"
        "тоҷикистон|тожикистон|täjigistan|tajigistan"
    ),
    "TM": (
        "turkmenistan|türkmenistan|turkmeniya|turkmaniston|туркменистан|туркмения|түрікменстан|"
        "түркмөнстан|туркманистон"
    ),
    "RU": (
        "russia|russian federation|rossiya|russiýa|россия|российская федерация|рф|ресей|русия|"
        "орусия"
    ),
    "CN": "china|prc|xitoy|hytaý|китай|кнр|қхр|қытай|кытай|хитой",
    "AF": "afghanistan|afg'oniston|owganystan|афганистан|ауғанстан|афғонистон|ооганстан",
    "IR": "iran|eron|eýran|иран|эрон",
    "AZ": (
        "azerbaijan|ozarbayjon|azerbaýjan|азербайджан|әзірбайжан|азербайжан|озарбайжон|озарбойҷон"
    ),
    "MN": "mongolia|mo'g'uliston|mongoliýa|монголия|моңғолия|мўғулистон|муғулистон",
    "PK": "pakistan|pokiston|пакистан|пәкістан|покистон",
    "TR": "turkey|türkiye|turkiye|turkiya|türkiýe|турция|түркия|туркия",
    "UA": "ukraine|ukraina|украина|україна",
    "BY": "belarus|belorussia|беларусь|белоруссия|беларус|белорус",
    "GE": "georgia|gruziya|gurjiston|gruziýa|грузия|гурҷистон",
    "AM": "armenia|armaniston|ermenistan|армения|арманистон",
    "IN": "india|hindiston|hindistan|индия|үндістан|ҳиндистон|ҳиндустон",
    "US": (
        "usa|united states|united states of america|america|aqsh|сша|соединенные штаты|"
        "соединенные штаты америки|америка|ақш|акш|abş|амрико|америка қўшма штатлари"
    ),
}

# People and adjectives. Russian adjectives are given as stems ("казахск") that only match with
# an ending; English plurals and Turkic case endings come from SUFFIXES.
DEMONYMS: Final[dict[str, str]] = {
    "KZ": (
        "kazakh|kazakhstani|qazaq|kazak|казах|казахов|казахск|казахстанск|казашк|казахстанц|"
        "қазақ|qozoq|қозоқ|қазоқ|gazak"
    ),
    "KG": (
        "kyrgyz|kirghiz|kirgiz|kyrgyzstani|кыргыз|киргиз|кыргызов|киргизов|кыргызск|киргизск|"
        "кыргызстанск|кыргызстанц|қырғыз|qirg'iz|қирғиз|gyrgyz"
    ),
    "UZ": (
        "uzbek|uzbekistani|o'zbek|ozbek|karakalpak|каракалпак|каракалпакск|узбек|узбеков|узбекск|"
        "узбечк|узбекистанск|узбекистанц|өзбек|ўзбек|ӯзбек|özbek"
    ),
    "TJ": (
        "tajik|tadjik|tajikistani|таджик|таджиков|таджикск|таджикистанск|таджикистанц|тәжік|"
        "тажик|тоҷик|тожик|tojik|täjik"
    ),
    "TM": (
        "turkmen|turkmenistani|туркмен|туркменов|туркменск|туркменистанск|туркменистанц|түрікмен|"
        "түркмөн|туркман|turkman|türkmen"
    ),
    "RU": "russian|россиян|россиянин|россиянк|российск|rossiyalik|ресейлік",
    "CN": "chinese|китайск|қытайлық",
    "AF": "afghan|афганск|afg'on|афғон|owgan",
    "IR": "iranian|иранск|eronlik",
    "AZ": "azerbaijani|azeri|азербайджанск",
    "MN": "mongolian|монгольск",
    "PK": "pakistani|пакистанск",
    "TR": "turkish|турецк",
    "UA": "ukrainian|украинск|украинц",
    "BY": "belarusian|белорусск",
    "GE": "georgian|грузинск",
    "AM": "armenian|армянск",
    "IN": "indian|индийск",
    "US": "american|американск|amerikalik",
}

# Heads of state, who stand for their country in headlines ("Tokayev meets ...").
LEADERS: Final[dict[str, str]] = {
    "KZ": "tokayev|tokaev|токаев|тоқаев|toqayev",
    "KG": "japarov|zhaparov|жапаров|japarow",
    "UZ": "mirziyoyev|mirziyoev|мирзиёев|мирзиеев|mirziýoýew",
    "TJ": "rahmon|рахмон|раҳмон|rahmonov",
    "TM": "berdimuhamedov|berdymukhamedov|бердымухамедов|бердимуҳамедов|berdimuhamedow",
    "RU": "putin|путин",
}

# Capitals, main cities and regions, in the spellings the region's media use.
CITIES: Final[dict[str, str]] = {
    "KZ": (
        "astana|астана|nur-sultan|нур-султан|нұр-сұлтан|akmola|акмола|almaty|алматы|alma-ata|"
        "алма-ата|alma ata|olmaota|олмаота|алмаато|алмати|алматинск|shymkent|chimkent|шымкент|"
        "чимкент|"
        "karaganda|karagandy|qaraghandy|караганда|қарағанды|aktobe|aqtobe|актобе|ақтөбе|"
        "актюбинск|atyrau|атырау|aktau|aqtau|актау|pavlodar|павлодар|oskemen|öskemen|өскемен|"
        "ust-kamenogorsk|усть-каменогорск|semey|semipalatinsk|семипалатинск|kostanay|kostanai|"
        "qostanay|костанай|қостанай|turkistan|turkestan|туркестан|түркістан|taraz|тараз|"
        "kyzylorda|qyzylorda|кызылорда|қызылорда|uralsk|уральск|kokshetau|кокшетау|көкшетау|"
        "taldykorgan|талдыкорган|талдықорған|zhezkazgan|жезказган|жезқазған|ekibastuz|экибастуз|"
        "екібастұз|baikonur|baykonur|байконур|байқоңыр|konaev|qonaev|конаев|қонаев|petropavl|"
        "петропавл|мангистау|маңғыстау|mangystau|ақмола|жамбыл|zhambyl|jambyl|жамбылск|ұлытау|"
        "ulytau|жетісу|zhetysu|оқо|шқо|бқо|сқо|қазақстандық|qazaqstandyq|"
        "kazakhstanis"
    ),
    "KG": (
        "bishkek|бишкек|бішкек|бишкекск|osh|ош|оша|оше|ошу|ошем|ошта|оштун|оштогу|оштон|ошко|"
        "o'sh|ўш|ӯш|jalal-abad|jalalabad|jalal abad|djalal-abad|джалал-абад|жалал-абад|"
        "jalal-obod|karakol|каракол|qarakol|issyk-kul|issyk kul|ysyk-kol|ysyk-köl|ysyk kol|"
        "иссык-куль|иссык куль|ысык-көл|ысык-кол|ыссык-куль|naryn|нарын|batken|баткен|talas|"
        "талас|tokmok|токмок|cholpon-ata|чолпон-ата|kara-balta|кара-балта|bişkek|oş"
    ),
    "UZ": (
        "tashkent|toshkent|ташкент|тошкент|ташкентск|samarkand|samarqand|samarkant|самарканд|самарқанд|"
        "самаркандск|bukhara|bokhara|buxoro|бухара|бухоро|бухарск|namangan|наманган|andijan|"
        "andijon|андижан|андижон|fergana|ferghana|farg'ona|фергана|фарғона|ферганск|nukus|нукус|"
        "karakalpakstan|qoraqalpog'iston|каракалпакстан|қорақалпоғистон|қарақалпақстан|khiva|"
        "xiva|хива|termez|termiz|термез|термиз|navoi|navoiy|навои|навоий|kokand|qo'qon|коканд|"
        "қўқон|jizzakh|jizzax|джизак|жиззах|urgench|urganch|ургенч|урганч|karshi|карши|chirchik|"
        "chirchiq|чирчик|чирчиқ|almalyk|olmaliq|алмалык|angren|ангрен|xorazm|khorezm|хорезм|"
        "хоразм|surxondaryo|сурхандарья|qashqadaryo|кашкадарья|сурхандарьинск|кашкадарьинск|"
        "margilan|marg'ilon|маргилан|хорезмск|навоийск|джизакск|daşkent"
    ),
    "TJ": (
        "dushanbe|душанбе|duşenbe|khujand|khudzhand|xo'jand|худжанд|хуҷанд|хўжанд|kulob|kulyab|"
        "куляб|кӯлоб|кулоб|bokhtar|bohtar|бохтар|khorog|khorugh|хорог|хоруғ|gbao|гбао|вмкб|"
        "badakhshan|бадахшан|pamir|памир|памирск|помир|istaravshan|истаравшан|panjakent|penjikent|"
        "пенджикент|панҷакент|rogun|рогун|nurek|нурек|sughd|согд|суғд|khatlon|хатлон|душанбинск|"
        "tursunzoda|турсунзаде|hojent"
    ),
    "TM": (
        "ashgabat|ashkhabad|aşgabat|aşgabad|ашхабад|ашгабат|ашғабат|ашхобод|ashxobod|ашхабадск|"
        "turkmenabat|türkmenabat|туркменабад|туркменабат|dashoguz|daşoguz|дашогуз|дашховуз|"
        "balkanabat|балканабад|turkmenbashi|türkmenbaşy|туркменбаши|avaza|awaza|аваза|arkadag|"
        "аркадаг|lebap|лебап|ahal|turkmengaz|туркменгаз|ашқобод"
    ),
    "RU": (
        "moscow|moskva|москва|московск|мәскеу|маскав|moskwa|санкт-петербург|st petersburg|"
        "saint petersburg|kremlin|кремль"
    ),
    "CN": (
        "beijing|пекин|бейжің|бээжин|pekin|xinjiang|синьцзян|шыңжаң|urumqi|урумчи|kashgar|кашгар|"
        "shanghai|шанхай"
    ),
    "AF": "кабул|kobul|кобул|herat|герат|kandahar|кандагар|mazar-i-sharif|мазари-шариф",
    "IR": "tehran|тегеран|tehron|теҳрон|tähran|mashhad|мешхед",
    "AZ": "baku|баку|boku|боку",
    "MN": "ulaanbaatar|ulan bator|ulan-bator|улан-батор|улан батор|улаанбаатар",
    "PK": "islamabad|исламабад|karachi|карачи|lahore|лахор",
    "TR": "ankara|анкара|istanbul|стамбул|ыстамбұл|истанбул",
    "UA": "kyiv|kiev|киев|київ|kiyev",
    "BY": "minsk|минск",
    "GE": "tbilisi|тбилиси",
    "AM": "yerevan|ереван",
    "IN": "new delhi|delhi|нью-дели|mumbai|мумбаи",
    "US": "washington|вашингтон|vashington|white house|new york|нью-йорк",
}

# The capitals' forms in CITIES. Typed alone, a capital asks for its country's brief
# ("Bishkek"); any other place ("Rogun", "Issyk-Kul", "Baikonur") is a question about it.
_CAPITALS_SPELLED: Final = (
    "astana|астана|nur-sultan|нур-султан|нұр-сұлтан|bishkek|бишкек|бішкек|bişkek|tashkent|"
    "toshkent|ташкент|тошкент|daşkent|dushanbe|душанбе|duşenbe|ashgabat|ashkhabad|aşgabat|"
    "aşgabad|ашхабад|ашгабат|ашғабат|ашхобод|ashxobod|ашқобод|moscow|moskva|москва|мәскеу|"
    "маскав|moskwa|beijing|пекин|бейжің|бээжин|pekin|kabul|кабул|kobul|кобул|tehran|"
    "тегеран|tehron|теҳрон|tähran|baku|баку|boku|боку|ulaanbaatar|ulan bator|ulan-bator|"
    "улан-батор|улан батор|улаанбаатар|islamabad|исламабад|ankara|анкара|kyiv|kiev|киев|"
    "київ|kiyev|minsk|минск|tbilisi|тбилиси|yerevan|ереван|new delhi|нью-дели|washington|"
    "вашингтон|vashington"
)
CAPITALS: Final[frozenset[str]] = frozenset(_CAPITALS_SPELLED.split("|"))

# Forms that are also everyday words or first names: they count only when the same country is
# named some other way in the story ("Mary Smith said" is no Turkmen city; Russian "семей" means
# "of families"; Russian "казак" is a Cossack; Kazakh "ақтау" also means "to justify").
CONTEXT_ONLY: Final[dict[str, str]] = {
    "mary": "TM",
    "мары": "TM",
    "семей": "KZ",
    "казак": "KZ",
    "казаки": "KZ",
    "ақтау": "KZ",
    # "kabul etdi", "qabul qildi": Turkmen and Uzbek for "accepted".
    "kabul": "AF",
}

# Inflection endings a name may carry: Russian cases, adjective and demonym endings, Kazakh,
# Kyrgyz, Uzbek, Tajik and Turkmen case and derivational suffixes, English plural/possessive.
SUFFIXES: Final[frozenset[str]] = _words(
    # Russian nouns, adjectives and demonyms
    "а у е о ы и ю я ом ем ой ей ою ею ам ям ами ями ах ях ью "
    "ий ый ая ое ие ые ого его ому ему им ым их ых ими ыми ую "
    "ец ца цу це цем цы цев цам цами цах ка ки ке ку кой кам ками ках "
    # Kazakh
    "да де та те нда нде дан ден тан тен нан нен ға ге қа ке на не ның нің дың дің тың тің "
    "ны ні ды ді ты ті ын ін мен бен пен дағы дегі тағы тегі ндағы ндегі дық дік тық тік "
    "лық лік сы сі і ымыз іміз лар лер дар дер тар тер ға ғы "
    # Kyrgyz
    "дын дин дун дүн тын тин тун түн нын нин нун нүн га го гө ко кө до дө то тө "
    "дон дөн тон төн нон нөн дагы деги догу дөгү тагы теги тогу төгү ну нү ди ду дү ти ту "
    "тү дык дик дук дүк тык тик лык лик "
    # Uzbek and Tajik in Cyrillic
    "нинг ни даги ги лик ликлар ро ҳо ӣ"
    # Latin: English, Uzbek, Turkmen, Kazakh
    " 's s n ns n's a e i y da de dan den ga ge ka ke qa ning ni dagi gi lik liklar lar ler "
    "ň yň iň nyň niň ny daky däki ly li lylar ä dä"
)

# Words that look like a place but name a person ("Nursultan Nazarbayev"): never matched, not
# even as a misspelling of the city of Nur-Sultan.
# Kyrgyz "киргиз-" is also the verb "to bring in" ("киргизди", "introduced").
NEVER: Final[frozenset[str]] = _words(
    "nursultan нурсултан нұрсұлтан киргизди киргизген киргизилди киргизүү киргизет киргизип "
    "киргизилген киргизиши"
)

# CLDR names of other countries that are also common words, first names or things (Kazakh
# "қатар" is "row", Russian "кокос" a coconut, "бутон" a bud, Uzbek "ummon" an ocean).
CLDR_AMBIGUOUS: Final[frozenset[str]] = _words(
    "chad jordan guinea jersey jersi reunion réunion man chili kokos ummon того джерси ҷерси "
    "бутан бутон мэн чад чили перу кокос қатар"
)

# Common names of other countries that CLDR does not give as the main name.
EXTRA_NAMES: Final[dict[str, str]] = {
    "uae": "AE",
    "оаэ": "AE",
    "эмираты": "AE",
    "south korea": "KR",
    "южная корея": "KR",
    "north korea": "KP",
    "северная корея": "KP",
    "кндр": "KP",
    "түрік республикасы": "TR",
    "belgian": "BE",
    "бельгийск": "BE",
    "немецк": "DE",
    "японск": "JP",
    "французск": "FR",
    "french": "FR",
    "german": "DE",
    "japanese": "JP",
    "italian": "IT",
    "spanish": "ES",
    "polish": "PL",
    "dutch": "NL",
    "swiss": "CH",
    "israeli": "IL",
    "egyptian": "EG",
    "britain": "GB",
    "great britain": "GB",
    "англия": "GB",
    "england": "GB",
    "британия": "GB",
    "british": "GB",
    "британск": "GB",
    "dominican": "DO",
    "фрг": "DE",
    "saudi": "SA",
    "саудовская аравия": "SA",
    "czech republic": "CZ",
}

# Names we prefer to CLDR's: in Russian the region's media and states say "Кыргызстан".
NAME_OVERRIDES: Final[dict[tuple[str, str], str]] = {
    ("ru", "KG"): "Кыргызстан",
}

# Abbreviations that name a country only in capitals ("US to fund", never "let us"); they
# count in texts that are not written in capitals throughout.
CASED_ABBREVIATIONS: Final[dict[str, str]] = {
    "US": "US",
    "U.S.": "US",
    "U.S": "US",
    "UK": "GB",
    "РК": "KZ",
}

# Abbreviations users type that are not ISO codes.
CODE_ALIASES: Final[dict[str, str]] = {
    "UK": "GB",
    "RF": "RU",
    "PRC": "CN",
    "UAE": "AE",
}
