// ISO 3166-1 alpha-2 codes with English and French names and common aliases.
// One line per code: CODE|English name|French name|alias;alias;...
// Names are the short names in common use (as the UN/ISO short names or Wikipedia's article
// titles), not the long formal names, which go in the aliases when people use them.
extension CountryTable {
  static let builtInData = """
    AD|Andorra|Andorre|Principality of Andorra;Principauté d'Andorre
    AE|United Arab Emirates|Émirats arabes unis|UAE;EAU;Emirates
    AF|Afghanistan|Afghanistan|Islamic Republic of Afghanistan;Islamic Emirate of Afghanistan
    AG|Antigua and Barbuda|Antigua-et-Barbuda|Antigua
    AI|Anguilla|Anguilla|
    AL|Albania|Albanie|Republic of Albania;Shqipëria
    AM|Armenia|Arménie|Republic of Armenia;Hayastan
    AO|Angola|Angola|Republic of Angola
    AQ|Antarctica|Antarctique|Antarctic
    AR|Argentina|Argentine|Argentine Republic;República Argentina
    AS|American Samoa|Samoa américaines|
    AT|Austria|Autriche|Österreich;Republic of Austria
    AU|Australia|Australie|Commonwealth of Australia;Oz
    AW|Aruba|Aruba|
    AX|Åland Islands|Îles Åland|Åland;Ahvenanmaa
    AZ|Azerbaijan|Azerbaïdjan|Republic of Azerbaijan;Azərbaycan
    BA|Bosnia and Herzegovina|Bosnie-Herzégovine|Bosnia;BiH;Bosnia-Herzegovina;Bosna i Hercegovina
    BB|Barbados|Barbade|
    BD|Bangladesh|Bangladesh|People's Republic of Bangladesh
    BE|Belgium|Belgique|België;Belgien;Kingdom of Belgium;Royaume de Belgique
    BF|Burkina Faso|Burkina Faso|Burkina;Upper Volta;Haute-Volta
    BG|Bulgaria|Bulgarie|Republic of Bulgaria;Bulgariya
    BH|Bahrain|Bahreïn|Kingdom of Bahrain
    BI|Burundi|Burundi|Republic of Burundi
    BJ|Benin|Bénin|Republic of Benin;Dahomey
    BL|Saint Barthélemy|Saint-Barthélemy|St. Barthélemy;St Barts;St Barths;Saint-Barth
    BM|Bermuda|Bermudes|Bermudas
    BN|Brunei|Brunei|Brunei Darussalam;Brunéi
    BO|Bolivia|Bolivie|Plurinational State of Bolivia;État plurinational de Bolivie
    BQ|Caribbean Netherlands|Pays-Bas caribéens|Bonaire, Sint Eustatius and Saba;Bonaire, Saint-Eustache et Saba;BES Islands;Bonaire;Sint Eustatius;Saba
    BR|Brazil|Brésil|Brasil;Federative Republic of Brazil
    BS|Bahamas|Bahamas|The Bahamas;Commonwealth of The Bahamas
    BT|Bhutan|Bhoutan|Kingdom of Bhutan
    BV|Bouvet Island|Île Bouvet|Bouvetøya
    BW|Botswana|Botswana|Republic of Botswana;Bechuanaland
    BY|Belarus|Biélorussie|Bélarus;Republic of Belarus;Byelorussia;Belorussia
    BZ|Belize|Belize|British Honduras;Honduras britannique
    CA|Canada|Canada|
    CC|Cocos (Keeling) Islands|Îles Cocos|Cocos Islands;Keeling Islands;Îles Cocos (Keeling)
    CD|Democratic Republic of the Congo|République démocratique du Congo|DRC;DR Congo;Congo-Kinshasa;RDC;Congo (Kinshasa);Zaire
    CF|Central African Republic|République centrafricaine|CAR;RCA;Centrafrique
    CG|Republic of the Congo|République du Congo|Congo-Brazzaville;Congo (Brazzaville);Congo
    CH|Switzerland|Suisse|Schweiz;Suisse;Svizzera;Svizra;Swiss Confederation;Confédération suisse;Helvetia
    CI|Côte d'Ivoire|Côte d'Ivoire|Ivory Coast;Republic of Côte d'Ivoire
    CK|Cook Islands|Îles Cook|
    CL|Chile|Chili|Republic of Chile
    CM|Cameroon|Cameroun|Republic of Cameroon
    CN|China|Chine|People's Republic of China;PRC;République populaire de Chine;Zhongguo
    CO|Colombia|Colombie|Republic of Colombia
    CR|Costa Rica|Costa Rica|
    CU|Cuba|Cuba|Republic of Cuba
    CV|Cape Verde|Cap-Vert|Cabo Verde
    CW|Curaçao|Curaçao|Kòrsou
    CX|Christmas Island|Île Christmas|
    CY|Cyprus|Chypre|Republic of Cyprus;Kypros;Kıbrıs
    CZ|Czechia|République tchèque|Czech Republic;Tchéquie;Czech;Česko;Česká republika
    DE|Germany|Allemagne|Deutschland;Federal Republic of Germany;République fédérale d'Allemagne;FRG;RFA
    DJ|Djibouti|Djibouti|Republic of Djibouti
    DK|Denmark|Danemark|Danmark;Kingdom of Denmark
    DM|Dominica|Dominique|Commonwealth of Dominica
    DO|Dominican Republic|République dominicaine|
    DZ|Algeria|Algérie|People's Democratic Republic of Algeria
    EC|Ecuador|Équateur|Republic of Ecuador
    EE|Estonia|Estonie|Eesti;Republic of Estonia
    EG|Egypt|Égypte|Arab Republic of Egypt;Misr
    EH|Western Sahara|Sahara occidental|Sahrawi Arab Democratic Republic;SADR;RASD
    ER|Eritrea|Érythrée|State of Eritrea
    ES|Spain|Espagne|España;Kingdom of Spain
    ET|Ethiopia|Éthiopie|Abyssinia;Abyssinie
    FI|Finland|Finlande|Suomi;Republic of Finland
    FJ|Fiji|Fidji|Republic of Fiji
    FK|Falkland Islands|Îles Malouines|Falklands;Malvinas;Islas Malvinas;Malouines;Îles Falkland
    FM|Micronesia|Micronésie|Federated States of Micronesia;États fédérés de Micronésie;FSM
    FO|Faroe Islands|Îles Féroé|Faroes;Faeroe Islands;Føroyar;Féroé
    FR|France|France|French Republic;République française
    GA|Gabon|Gabon|Gabonese Republic
    GB|United Kingdom|Royaume-Uni|UK;Great Britain;Britain;England;Scotland;Wales;Northern Ireland;Grande-Bretagne;Angleterre;Royaume Uni;United Kingdom of Great Britain and Northern Ireland
    GD|Grenada|Grenade|
    GE|Georgia|Géorgie|Sakartvelo
    GF|French Guiana|Guyane|Guyane française
    GG|Guernsey|Guernesey|
    GH|Ghana|Ghana|Gold Coast
    GI|Gibraltar|Gibraltar|
    GL|Greenland|Groenland|Kalaallit Nunaat;Grønland
    GM|Gambia|Gambie|The Gambia
    GN|Guinea|Guinée|Guinea-Conakry;Guinée-Conakry
    GP|Guadeloupe|Guadeloupe|
    GQ|Equatorial Guinea|Guinée équatoriale|
    GR|Greece|Grèce|Hellas;Hellenic Republic;Elláda
    GS|South Georgia and the South Sandwich Islands|Géorgie du Sud-et-les îles Sandwich du Sud|South Georgia;South Sandwich Islands
    GT|Guatemala|Guatemala|
    GU|Guam|Guam|
    GW|Guinea-Bissau|Guinée-Bissau|
    GY|Guyana|Guyana|British Guiana
    HK|Hong Kong|Hong Kong|Hong Kong SAR;Xianggang
    HM|Heard Island and McDonald Islands|Îles Heard-et-MacDonald|Heard Island;McDonald Islands
    HN|Honduras|Honduras|
    HR|Croatia|Croatie|Hrvatska
    HT|Haiti|Haïti|
    HU|Hungary|Hongrie|Magyarország
    ID|Indonesia|Indonésie|
    IE|Ireland|Irlande|Republic of Ireland;Éire
    IL|Israel|Israël|State of Israel
    IM|Isle of Man|Île de Man|
    IN|India|Inde|Bharat;Republic of India
    IO|British Indian Ocean Territory|Territoire britannique de l'océan Indien|BIOT;Chagos Islands;Chagos Archipelago;Archipel des Chagos
    IQ|Iraq|Irak|Republic of Iraq
    IR|Iran|Iran|Persia;Perse;Islamic Republic of Iran
    IS|Iceland|Islande|Ísland
    IT|Italy|Italie|Italia;Italian Republic
    JE|Jersey|Jersey|
    JM|Jamaica|Jamaïque|
    JO|Jordan|Jordanie|Hashemite Kingdom of Jordan
    JP|Japan|Japon|Nippon;Nihon
    KE|Kenya|Kenya|
    KG|Kyrgyzstan|Kirghizistan|Kyrgyz Republic;Kirghizie
    KH|Cambodia|Cambodge|Kingdom of Cambodia;Kampuchea
    KI|Kiribati|Kiribati|
    KM|Comoros|Comores|Union of the Comoros
    KN|Saint Kitts and Nevis|Saint-Christophe-et-Niévès|St Kitts and Nevis;St. Kitts and Nevis;Saint Christopher and Nevis;Saint-Kitts-et-Nevis
    KP|North Korea|Corée du Nord|DPRK;Democratic People's Republic of Korea;République populaire démocratique de Corée
    KR|South Korea|Corée du Sud|Korea;Republic of Korea;Corée;Coree du Sud;République de Corée
    KW|Kuwait|Koweït|State of Kuwait
    KY|Cayman Islands|Îles Caïmans|Caymans
    KZ|Kazakhstan|Kazakhstan|Qazaqstan
    LA|Laos|Laos|Lao People's Democratic Republic;Lao PDR;Lao
    LB|Lebanon|Liban|Lebanese Republic
    LC|Saint Lucia|Sainte-Lucie|St Lucia;St. Lucia
    LI|Liechtenstein|Liechtenstein|Principality of Liechtenstein
    LK|Sri Lanka|Sri Lanka|Ceylon;Ceylan
    LR|Liberia|Liberia|
    LS|Lesotho|Lesotho|Basutoland
    LT|Lithuania|Lituanie|Lietuva
    LU|Luxembourg|Luxembourg|Lëtzebuerg;Luxemburg;Grand Duchy of Luxembourg;Grand-Duché de Luxembourg
    LV|Latvia|Lettonie|Latvija
    LY|Libya|Libye|State of Libya
    MA|Morocco|Maroc|Kingdom of Morocco;Al-Maghrib
    MC|Monaco|Monaco|Principality of Monaco
    MD|Moldova|Moldavie|Republic of Moldova;République de Moldavie;Moldavia
    ME|Montenegro|Monténégro|Crna Gora
    MF|Saint Martin|Saint-Martin|St. Martin;Saint Martin (French part);Saint-Martin (partie française)
    MG|Madagascar|Madagascar|
    MH|Marshall Islands|Îles Marshall|Republic of the Marshall Islands
    MK|North Macedonia|Macédoine du Nord|Macedonia;Macédoine;Republic of North Macedonia;FYROM;Severna Makedonija
    ML|Mali|Mali|
    MM|Myanmar|Birmanie|Burma;Birmanie
    MN|Mongolia|Mongolie|
    MO|Macao|Macao|Macau;Macao SAR
    MP|Northern Mariana Islands|Îles Mariannes du Nord|Northern Marianas;CNMI
    MQ|Martinique|Martinique|
    MR|Mauritania|Mauritanie|
    MS|Montserrat|Montserrat|
    MT|Malta|Malte|
    MU|Mauritius|Maurice|Île Maurice
    MV|Maldives|Maldives|
    MW|Malawi|Malawi|Nyasaland
    MX|Mexico|Mexique|México;United Mexican States;Estados Unidos Mexicanos
    MY|Malaysia|Malaisie|
    MZ|Mozambique|Mozambique|Moçambique
    NA|Namibia|Namibie|South West Africa
    NC|New Caledonia|Nouvelle-Calédonie|Kanaky
    NE|Niger|Niger|
    NF|Norfolk Island|Île Norfolk|
    NG|Nigeria|Nigeria|
    NI|Nicaragua|Nicaragua|
    NL|Netherlands|Pays-Bas|Holland;The Netherlands;Hollande;Nederland
    NO|Norway|Norvège|Norge;Noreg
    NP|Nepal|Népal|
    NR|Nauru|Nauru|
    NU|Niue|Niue|
    NZ|New Zealand|Nouvelle-Zélande|Aotearoa;NZ
    OM|Oman|Oman|Sultanate of Oman
    PA|Panama|Panama|
    PE|Peru|Pérou|Perú
    PF|French Polynesia|Polynésie française|Polynésie
    PG|Papua New Guinea|Papouasie-Nouvelle-Guinée|PNG
    PH|Philippines|Philippines|Pilipinas
    PK|Pakistan|Pakistan|
    PL|Poland|Pologne|Polska
    PM|Saint Pierre and Miquelon|Saint-Pierre-et-Miquelon|St Pierre and Miquelon
    PN|Pitcairn Islands|Îles Pitcairn|Pitcairn
    PR|Puerto Rico|Porto Rico|Commonwealth of Puerto Rico
    PS|Palestine|Palestine|State of Palestine;Palestinian territories;État de Palestine;Territoires palestiniens
    PT|Portugal|Portugal|Portuguese Republic
    PW|Palau|Palaos|Belau
    PY|Paraguay|Paraguay|
    QA|Qatar|Qatar|
    RE|Réunion|Réunion|La Réunion;Île de la Réunion;Reunion Island
    RO|Romania|Roumanie|România
    RS|Serbia|Serbie|Srbija
    RU|Russia|Russie|Russian Federation;Fédération de Russie;Rossiya
    RW|Rwanda|Rwanda|
    SA|Saudi Arabia|Arabie saoudite|KSA;Kingdom of Saudi Arabia
    SB|Solomon Islands|Îles Salomon|Solomons
    SC|Seychelles|Seychelles|
    SD|Sudan|Soudan|
    SE|Sweden|Suède|Sverige
    SG|Singapore|Singapour|
    SH|Saint Helena, Ascension and Tristan da Cunha|Sainte-Hélène, Ascension et Tristan da Cunha|Saint Helena;St Helena;Sainte-Hélène;Ascension Island;Tristan da Cunha
    SI|Slovenia|Slovénie|Slovenija
    SJ|Svalbard and Jan Mayen|Svalbard et Jan Mayen|Svalbard;Jan Mayen
    SK|Slovakia|Slovaquie|Slovak Republic;Slovensko
    SL|Sierra Leone|Sierra Leone|
    SM|San Marino|Saint-Marin|
    SN|Senegal|Sénégal|
    SO|Somalia|Somalie|
    SR|Suriname|Suriname|Surinam;Dutch Guiana
    SS|South Sudan|Soudan du Sud|
    ST|São Tomé and Príncipe|Sao Tomé-et-Principe|São Tomé
    SV|El Salvador|Salvador|
    SX|Sint Maarten|Sint Maarten|Sint Maarten (Dutch part);Saint-Martin (partie néerlandaise)
    SY|Syria|Syrie|Syrian Arab Republic
    SZ|Eswatini|Eswatini|Swaziland;Kingdom of Eswatini
    TC|Turks and Caicos Islands|Îles Turques-et-Caïques|Turks and Caicos;TCI
    TD|Chad|Tchad|
    TF|French Southern and Antarctic Lands|Terres australes et antarctiques françaises|TAAF;French Southern Territories;Terres australes françaises
    TG|Togo|Togo|
    TH|Thailand|Thaïlande|Siam
    TJ|Tajikistan|Tadjikistan|
    TK|Tokelau|Tokelau|
    TL|Timor-Leste|Timor oriental|East Timor;Timor oriental
    TM|Turkmenistan|Turkménistan|Turkmenia
    TN|Tunisia|Tunisie|
    TO|Tonga|Tonga|
    TR|Turkey|Turquie|Türkiye;Turquie
    TT|Trinidad and Tobago|Trinité-et-Tobago|Trinidad
    TV|Tuvalu|Tuvalu|Ellice Islands
    TW|Taiwan|Taïwan|Republic of China;ROC;Formosa;Chinese Taipei
    TZ|Tanzania|Tanzanie|United Republic of Tanzania
    UA|Ukraine|Ukraine|Ukraina
    UG|Uganda|Ouganda|
    UM|United States Minor Outlying Islands|Îles mineures éloignées des États-Unis|US Minor Outlying Islands
    US|United States|États-Unis|USA;US;United States of America;America;Etats-Unis;Amérique
    UY|Uruguay|Uruguay|
    UZ|Uzbekistan|Ouzbékistan|
    VA|Vatican|Vatican|Holy See;Vatican City;Saint-Siège;Cité du Vatican
    VC|Saint Vincent and the Grenadines|Saint-Vincent-et-les-Grenadines|St Vincent and the Grenadines;Saint Vincent
    VE|Venezuela|Venezuela|Bolivarian Republic of Venezuela
    VG|British Virgin Islands|Îles Vierges britanniques|BVI;Virgin Islands (British)
    VI|United States Virgin Islands|Îles Vierges des États-Unis|US Virgin Islands;USVI;Virgin Islands (U.S.);Îles Vierges américaines
    VN|Vietnam|Viêt Nam|Viet Nam
    VU|Vanuatu|Vanuatu|New Hebrides;Nouvelles-Hébrides
    WF|Wallis and Futuna|Wallis-et-Futuna|
    WS|Samoa|Samoa|Western Samoa
    YE|Yemen|Yémen|
    YT|Mayotte|Mayotte|
    ZA|South Africa|Afrique du Sud|RSA;Republic of South Africa;Suid-Afrika
    ZM|Zambia|Zambie|Northern Rhodesia
    ZW|Zimbabwe|Zimbabwe|Rhodesia;Rhodésie
    """
}
