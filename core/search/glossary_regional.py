"""Hand-written word groups for Uzbek, Kyrgyz, Tajik and Turkmen, where no data reaches.

The Kazakh-English table is learned from parallel headlines (``core.search.lexicon``);
for the other languages of the region we have no parallel text, so the frequent words of
news, and the names of places as each language spells them, are written here, one group
a line: English, Russian, Kazakh, Kyrgyz, Uzbek (Latin), Tajik, Turkmen where they differ.
Our own list; words in ordinary forms, stemmed by the index's analyzer (Latin Uzbek and
Turkmen words as bare stems, "hosil", which is what a query's "hosili" comes down to).
"""

from __future__ import annotations

from typing import Final

REGIONAL_GROUPS: Final = """
uzbekistan узбекистан ozbekiston ўзбекистон ӯзбекистон өзбекстан ozbegistan
kazakhstan казахстан qozogiston қозоғистон қазоқистон казакстан gazagystan
kyrgyzstan кыргызстан qirgiziston қирғизистон қырғызстан gyrgyzystan
tajikistan таджикистан tojikiston тоҷикистон тәжікстан тажикстан tajigistan
turkmenistan туркменистан turkmaniston туркманистон түрікменстан түркмөнстан
russia россия rossiya русия ресей орусия
china китай xitoy хитой чин қытай кытай
iran иран eron эрон
usa сша aqsh ақш америка ама
japan япония yaponiya жапония
germany германия germaniya олмон
france франция fransiya фаронса
turkey турция turkiya туркия түркия
afghanistan афганистан afgoniston афғонистон ауғанстан ооганстан
azerbaijan азербайджан ozarbayjon озарбойҷон әзірбайжан азербайжан
canada канада kanada
tashkent ташкент toshkent тошканд
ashgabat ашхабад ashgabad ashkhabad asgabat ашқобод ашгабат
almaty алматы alma-ata алма-ата olmaota алмаато
bukhara бухара buxoro бухоро
samarkand самарканд samarqand самарқанд
andijan андижан andijon андижон
fergana фергана fargona фарғона
margilan маргилан margilon марғилон
khorog хорог хоруғ
aral арал orol
sea море теңіз деңиз dengiz баҳр deniz
hydropower гэс ges нбо нерӯгоҳ
tourism туризм turizm сайёҳӣ
caspian каспий kaspiy
milk молоко сүт sut шир
wheat пшеница бидай буудай bugdoy гандум
cotton хлопок мақта пахта paxta pagta
harvest урожай егін түшүм hosil ҳосил hasyl
gold золото алтын oltin тилло
copper медь мыс жез mis мис
oil нефть мұнай мунай neft нафт
bread хлеб нан non нон
price prices цена цены баға баа narx нарх
cheap cheaper дешевый подешевел арзан арзандады arzon арзон
scientist scientists исследователи ғалымдар окумуштуулар olim олимон alym
storm буря боран бороон boron тӯфон
dust пыль пыльная шаң чаң chang ғубор
fire пожар өрт yongin сӯхтор
road дорога путь жол yol роҳ
silk шелк жібек жибек ipak ипак shoyi абрешим
railway железнодорожный теміржол темир temiryol роҳиоҳан
airport аэропорт әуежай aeroport фурудгоҳ
hotel hotels гостиница отель қонақүй мейманкана mehmonxona меҳмонхона
tourist tourists турист туристы sayyoh сайёҳ
water вода су suv об
hot горячая ыстық ысык issiq гарм
military военный военные әскери аскердик harbiy ҳарбӣ
exercises drills учения жаттығу машыгуу mashq машқ
influence влияние ықпал таасир tasir нуфуз
lake озеро көл kol кӯл
school школа мектеп maktab мактаб
production output производство өндіріс өндүрүш ishlab истеҳсол
city город қала шаар shahar шаҳр
ancient oldest древний древнейший ежелгі байыркы qadimgi қадимтарин
museum музей muzey осорхона
flag флаг ту желек bayroq парчам
car cars автомобиль автомобили машина көлік унаа avtomobil мошин
sales продажи сату сатуу sotuv фурӯш
electric электрический электро электр elektr барқӣ
locust locusts саранча шегіртке чегиртке chigirtka малах
pollution загрязнение ластану булгануу ifloslanish ифлосӣ
air воздух ауа аба havo ҳаво
snow снег снежный қар кар qor барф
leopard барс ілбіс илбирс qoplon паланг
apricot apricots абрикос абрикосы өрік өрүк orik зардолу
pipeline газопровод құбыр түтүк quvur қубур
construction строительство құрылыс курулуш qurilish сохтмон
landslide оползень көшкін көчкү kochki ярч
reservoir водохранилище обанбор
horse horses лошадь лошади кони жылқы жылкы асп
runners бегуны жүгірушілер чуркоочулар yuguruvchilar давандагон
trade торговля сауда соода savdo савдо
visa виза раводид
station stations станция станции бекет bekat истгоҳ
tax налог налоги салық салык soliq андоз
salary зарплата оклад жалақы айлык maosh маош
culture культура мәдениет маданият madaniyat фарҳанг
team сборная құрама курама terma
lost lose проиграл жеңілді утулду yutqazdi мағлуб
singer певица певец әнші ырчы qoshiqchi сароянда
died умер скончался қайтыс vafot вафот
hero герой батыр баатыр qahramon қаҳрамон
nuclear ядерный ядролық ядролук yadroviy ҳастаӣ
war война соғыс согуш urush ҷанг
medicine лекарства дәрі дары dori дору
health здравоохранение денсаулық саламаттык sogliq тандурустӣ
trees деревья ағаш дарак daraxt дарахт
poplar тополь терек terak сафедор
market bazaar рынок базар bozor бозор
repair ремонт жөндеу оңдоо tamir таъмир
plant factory завод фабрика зауыт zavod fabrika корхона
export экспорт
seals тюлени итбалық тюлендер
dead погибшие мертвые өлі өлгөн olik мурда
shore побережье жағалау жээк sohil соҳил
frost мороз аяз sovuq сармо
cargo freight груз грузы жүк yuk бор
transport перевозки тасымал ташуу tashish боркашонӣ
rare редкий редкоземельные сирек сейрек noyob нодир
talks переговоры келіссөз сүйлөшүү muzokara гуфтушунид
expected ожидается күтілуде күтүлүүдө kutilmoqda интизор
new новый новые жаңа жаңы yangi нав
first первый первые алғашқы биринчи birinchi нахуст
passengers пассажиры жолаушылар жүргүнчүлөр yolovchilar мусофирон
double удвоить вдвое екі эки ikki ду
protected защитили қорғалды корголду himoya ҳифз
plov pilaf плов палау палоо osh палов
quota quotas квота квоты kvota квота
abolished отменил отменила жойды жокко bekor бекор
flight рейс авиарейс каттам reys парвоз
one один бір бир bir як
two два екі эки ikki ду
three три үш үч uch се
four четыре төрт tort чор
five пять бес беш besh панҷ
hundred сто жүз yuz
illegal illegally незаконный незаконно заңсыз мыйзамсыз noqonuniy ғайриқонунӣ
increase увеличить увеличит көбейту арттыру көбөйтүү oshirish афзоиш
"""
