"""Words that carry no topic: function words and the words people wrap questions in.

Our own lists, in folded form (see ``core.search.normalize.split_word``): "ё" is already "е".
They are never indexed and never drive a query, so "how many tons did Kazakhstan export"
ranks by "tons", "Kazakhstan" and "export".
"""

from __future__ import annotations

from typing import Final

_ENGLISH: Final = """
a about above after again against all also am an and any anyone anything are aren around as
at be because been before being below between both but by can cannot could couldn did didn
do does doesn doing don down during each either else ever every few for from further get gets
got had hadn has hasn have haven having he her here hers herself him himself his how however
i if in into is isn it its itself just let lets like ll many may me might more most much must
my myself neither no nor not now of off often on once one only or other our ours ourselves out
over own per please re same shall she should shouldn since so some something such than that
thats the their theirs them themselves then there theres these they this those though through
to too under until up upon us ve very via was wasn we were weren what whats when where whether
which while who whom whose why will with within without won would wouldn yet you your yours
yourself yourselves
anybody did does tell show give find know want looking look news latest story stories article
articles report reports reported say says said happen happened happening going new any
"""

_RUSSIAN: Final = """
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже
для до его ее ей ему если есть еще же за здесь и из или им их к как какая какие каким какой
каких когда кого кое кой ком кому который которая которое которые которых кто ли либо между
меня мне мной мы на над надо наш не него нее нет ни них но ну о об однако он она они оно от
очень по под при про с со так также такой там те тем то того тоже той только том ты у уже
хотя чего чей чем что чтобы чье чья эта эти это этого этой этом этот я
будет будут будь зачем почему сколько откуда куда разве неужели расскажи расскажите покажи
покажите найди найти новости новость новостей хочу знать ли какое каково
"""

_KAZAKH_UZBEK: Final = """
жане мен туралы бул осы ушин пен бен va bilan uchun haqida bu
"""
# Kyrgyz, Tajik, Uzbek and Turkmen function words and question words, folded.
_OTHER: Final = """
жана менен учун боюнча тууралуу эмне эмнеге кайсы канча
дар ва ба аз бо барои ки то ин шуд мекунад аст хам дар чи чаро
va ham nima nega qanday qancha bilen ucin we hem
"""

STOP_WORDS: Final[frozenset[str]] = frozenset(
    (_ENGLISH + _RUSSIAN + _KAZAKH_UZBEK + _OTHER).split()
)
