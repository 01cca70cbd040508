"""The data of ``core.search.glossary``: its groups of English and Russian words that
mean the same thing, one group a line, and the number words with their digits."""

from __future__ import annotations

from typing import Final

GROUPS: Final = """
kazakhstan kazakh kazakhs qazaqstan казахстан казахский казах казахи казахстанцы
kyrgyzstan kyrgyz kirghizia кыргызстан киргизия кыргызский киргизский кыргызы
uzbekistan uzbek uzbeks узбекистан узбекский узбек узбеки узбекистанцы узбекистанец
tajikistan tajik tajiks таджикистан таджикский таджик таджики
turkmenistan turkmen туркменистан туркменский туркмен туркмены
russia russian россия российский русский рф
china chinese китай китайский кнр
iran iranian иран иранский
usa america american us сша америка американский
europe european eu европа европейский ес
japan japanese япония японский
turkey turkish турция турецкий
germany german германия немецкий
afghanistan afghan афганистан афганский
astana nursultan астана
almaty алматы
bishkek бишкек
tashkent ташкент
dushanbe душанбе
ashgabat ашхабад
capital столица столичный
president президент
government правительство кабмин
minister министр
ministry министерство минэкономики
parliament mazhilis senate парламент мажилис сенат
governor akim хоким аким губернатор
mayor мэр мэрия хокимият
law laws закон законы законопроект
decree указ постановление
court суд судебный
police полиция милиция
army military troops армия военный войска
war военные война
election elections vote выборы голосование
visit trip визит поездка
talks meeting negotiations переговоры встреча
agreement deal treaty соглашение договор сделка
cooperation partnership сотрудничество партнерство
economy economic экономика экономический
budget бюджет
tax taxes налог налоги налоговый
inspection inspections audit audits checks проверка проверки
fine fines penalty штраф штрафы
price prices cost цена цены стоимость
expensive dearer подорожал подорожание дорогой
cheap cheaper подешевел дешевый
rise rises growth grew increase рост вырос выросли увеличение
fall falls fell drop decline снижение падение упали упал
double doubling удвоить удвоение
bank банк
rate rates курс ставка
dollar dollars доллар
currency валюта
tenge тенге
sum sums сум сумов
inflation инфляция
loan loans credit кредит кредиты заем
investment investments investor инвестиции инвестор
trade торговля товарооборот
export exports exporter sell ship экспорт экспортер экспортировать
import imports importing импорт ввоз ввозить импортировать
company firm компания предприятие фирма
factory plant works завод фабрика комбинат
production output produce производство выпуск добыча производить
oil нефть нефтяной
gas газ газовый
liquefied сжиженный
pipeline газопровод трубопровод
refinery нпз нефтеперерабатывающий
coal уголь угольный
electricity power энергия электроэнергия электричество
hydropower hpp гэс гидроэлектростанция
gold золото золотой
copper медь медный
mine mining рудник шахта горнодобывающий
grain wheat зерно пшеница
cotton хлопок хлопковый
harvest crop урожай
milk dairy молоко молочный
bread хлеб лепешки
flour мука
meat мясо
fruit fruits фрукты
farmer farmers фермер фермеры
agriculture agricultural сельское аграрный
water вода водный
hot горячий
cold холодный
cut outage shutoff отключение отключить отключат
repair repairs ремонт
road roads highway дорога дороги трасса тракт путь
silk шелк шелковый
railway railroad rail железная железнодорожный
train trains поезд поезда
metro subway метро метрополитен
overground наземный
station stations станция станции
bus buses автобус автобусы
car cars vehicle vehicles auto автомобиль автомобили машина машины авто
electric электрический электро
airport аэропорт
flight flights рейс рейсы авиасообщение авиарейс
direct прямой
plane aircraft самолет
port порт
border граница пограничный
tourism tourist tourists туризм турист туристы
hotel hotels гостиница гостиницы отель отели
visa виза визовый
school schools школа школы
university universities университет вуз вузы
student students студент студенты
teacher учитель
scientist scientists researcher researchers исследователь исследователи
children child kids дети ребенок
doctor врач
hospital больница
health здравоохранение здоровье
vaccine вакцина
disease болезнь
fire пожар
flood floods паводок наводнение
earthquake землетрясение
landslide оползень
snow снег
rain ливень дождь
weather погода
heat жара
frost мороз морозы
smog смог
pollution polluted загрязнение
air воздух
environment ecology экология экологический
climate климат
forest лес
tree trees дерево деревья
lake озеро
river река
sea море
market bazaar рынок базар
shop shops store магазин магазины
worker workers employee работник работники
job jobs work работа рабочие
salary wages зарплата
pension пенсия
housing apartment квартира жилье
construction build building строительство строить
project проект
satellite спутник
launch launched запуск
space космос космический
internet интернет
phone телефон
card карта
scam fraud fraudsters мошенничество мошенники
arrest arrested арест задержан
prison тюрьма
death died killed смерть погиб погибли
accident crash авария дтп
football soccer футбол
match game матч игра
team squad сборная команда
coach тренер
referee судья арбитр
goal goals гол голы
world мир мировой
cup кубок чемпионат
win won победа выиграл
lose lost defeat поражение проиграл
singer певица певец
concert концерт
film movie фильм кино
series сериал
museum музей
festival фестиваль
record рекорд рекордный
new новый
old older старый старше
year years год лет
month месяц
day daily день
week неделя
india indian индия индийский
pakistan pakistani пакистан пакистанский
korea korean корея корейский
britain british uk великобритания британский
france french франция французский
italy italian италия итальянский
spain spanish испания испанский
poland polish польша польский
ukraine ukrainian украина украинский
belarus belarusian беларусь белоруссия белорусский
azerbaijan azerbaijani азербайджан азербайджанский
georgia georgian грузия грузинский
armenia armenian армения армянский
mongolia mongolian монголия монгольский
israel israeli израиль израильский
egypt egyptian египет египетский
emirates uae эмираты оаэ
qatar катар
saudi саудовский
arabia аравия
thailand thai таиланд тайский
singapore сингапур
malaysia малайзия
indonesia индонезия
vietnam вьетнам
latvia латвия
lithuania литва
estonia эстония
finland finnish финляндия
sweden swedish швеция
norway норвегия
denmark danish дания датский
netherlands dutch нидерланды голландия
belgium бельгия
austria австрия
switzerland swiss швейцария
czech чехия чешский
hungary hungarian венгрия венгерский
romania румыния
bulgaria болгария
serbia сербия
greece greek греция
canada канада
brazil бразилия
australia австралия
syria syrian сирия сирийский
iraq ирак
lebanon ливан
cuba куба
congo конго
portugal португалия
london лондон
moscow москва
beijing пекин
washington вашингтон
berlin берлин
paris париж
tokyo токио
meet meets met встреча встретился
receive received принял принимает
discuss discussed обсудили обсуждение
develop development развитие развивать
support поддержка поддержать
program programme программа
reform reforms реформа
security безопасность
award order награда орден
speaker спикер
chairman председатель
council совет
committee комитет
agency агентство
senator сенатор
appointed appoint назначен назначение
open opened opening открыть открыли открытие откроют
close closed закрыть закрыли закрытие
plan plans planned план планирует планируют
sign signed подписал подписали подписание
ban banned запрет запретили
allow allowed разрешили разрешение
people residents жители население люди
city town город городской
region province область регион областной
district район
village село аул кишлак
country страна
state государство государственный
international международный
foreign иностранный зарубежный
head chief chiefs глава руководитель руководители начальник
leader лидер
official officials чиновник чиновники
citizen citizens гражданин граждане
migrant migrants мигрант мигранты
drone drones дрон дроны беспилотник
missile missiles ракета ракеты
attack strike удар атака
nuclear ядерный
fuel топливо
petrol gasoline бензин
sales продажи
buy bought purchase купил купить покупка
player players игрок игроки
champion чемпион
actress актриса
actor актер
wedding свадьба
marry married marriage замуж брак женился
divorce развод
daughter дочь
son сын
wife жена
husband муж
woman women женщина женщины
girl девушка
family семья
food еда
restaurant ресторан
medicine medicines лекарство лекарства
solar солнечный
wind ветер
waste garbage отходы мусор
traffic пробки
parking парковка
taxi такси
driver drivers водитель водители
passenger passengers пассажир пассажиры
ticket tickets билет билеты
customs таможня
sanctions санкции
embassy посольство
un оон
sco шос
cis снг
eaeu еаэс
wto вто
imf мвф
csto одкб
osce обсе
nato нато
ambassador посол
summit саммит
forum форум
conference конференция
exhibition выставка
independence независимость
anniversary юбилей годовщина
history история
mosque мечеть
largest biggest крупнейший
first первый
one один
two два
three три
four четыре
five пять
ten десять
twenty двадцать
thirty тридцать
hundred сто
thousand тысяча тыс
million mln миллион млн
billion bn миллиард млрд
percent процент процентов
"""

NUMBERS: Final = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "ten": "10",
    "twenty": "20",
    "thirty": "30",
    "hundred": "100",
    "thousand": "1000",
}
