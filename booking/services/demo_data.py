"""The demo's content: partner places in Ghent and Kortrijk as the seeds
describe them, and the themes of MISSION.md in five languages."""

WEEKDAYS = [1, 2, 3, 4, 5]
LIBRARY_HOURS = [{"weekdays": [1, 2, 3, 4, 5, 6], "start": "09:00", "end": "18:00"}]
OFFICE_HOURS = [{"weekdays": WEEKDAYS, "start": "09:00", "end": "17:00"}]

# (slug, name, kind, city, [(location name, address, area, hours, [(room, capacity, features)])])
ORGANISATIONS = [
    ("bib-gent", "Bibliotheek Gent", "library", "Gent", [
        ("De Krook", "Miriam Makebaplein 1, 9000 Gent", "Centrum", LIBRARY_HOURS,
         [("PC-lokaal 1", 8, ["pc_room", "projector", "wheelchair"]),
          ("Leeszaal", 12, ["wheelchair"])]),
        ("Bibliotheek Ledeberg", "Hundelgemsesteenweg 125, 9050 Gent", "Ledeberg",
         LIBRARY_HOURS, [("Computerhoek", 6, ["pc_room", "wheelchair"])]),
        ("Bibliotheek Sint-Amandsberg", "Eksaardserijweg 20, 9040 Gent", "Sint-Amandsberg",
         LIBRARY_HOURS, [("Werkruimte", 6, ["pc_room"])]),
    ]),
    ("wijk-gent", "Wijkcentra Gent", "neighbourhood_centre", "Gent", [
        ("Wijkpunt Ledeberg", "Bellevuestraat 10, 9050 Gent", "Ledeberg", OFFICE_HOURS,
         [("Zaal", 10, ["wheelchair"]), ("Laptoplokaal", 6, ["pc_room"])]),
        ("Buurtcentrum Brugse Poort", "Emilius Seghersplein 3, 9000 Gent", "Brugse Poort",
         OFFICE_HOURS, [("Vergaderzaal", 10, ["wheelchair", "projector"])]),
    ]),
    ("werkwinkel-gent", "Werkwinkel Gent", "job_shop", "Gent", [
        ("Werkwinkel Gent-Centrum", "Kongostraat 40, 9000 Gent", "Centrum", OFFICE_HOURS,
         [("Digitaal lokaal", 8, ["pc_room", "projector", "wheelchair"])]),
    ]),
    ("cvo-gent", "Centrum voor Volwassenenonderwijs Gent", "adult_education", "Gent", [
        ("CVO Leerpunt", "Sint-Pietersnieuwstraat 70, 9000 Gent", "Centrum", OFFICE_HOURS,
         [("Klas 2.04", 12, ["pc_room", "projector"])]),
    ]),
    ("integratie-gent", "Integratiedienst Gent", "integration_service", "Gent", [
        ("Huis van het Nederlands", "Wolterslaan 16, 9000 Gent", "Centrum", OFFICE_HOURS,
         [("Praatcafé", 14, ["wheelchair"])]),
    ]),
    ("bib-kortrijk", "Bibliotheek Kortrijk", "library", "Kortrijk", [
        ("Hoofdbibliotheek Kortrijk", "Leiestraat 30, 8500 Kortrijk", "Centrum", LIBRARY_HOURS,
         [("Digidak", 8, ["pc_room", "projector", "wheelchair"]),
          ("Vertelzaal", 12, ["wheelchair"])]),
        ("Filiaal Heule", "Lagahestraat 25, 8501 Heule", "Heule", LIBRARY_HOURS,
         [("Leestafel", 6, ["pc_room"])]),
        ("Filiaal Bissegem", "Meensesteenweg 300, 8501 Bissegem", "Bissegem", LIBRARY_HOURS,
         [("Studieruimte", 6, ["pc_room", "wheelchair"])]),
        ("Filiaal Marke", "Hoogstraat 12, 8510 Marke", "Marke", LIBRARY_HOURS,
         [("Computerhoek", 5, ["pc_room"])]),
    ]),
    ("acv-kortrijk", "Vakbondshuis Kortrijk", "union", "Kortrijk", [
        ("Vakbondshuis", "President Kennedypark 16, 8500 Kortrijk", "Centrum", OFFICE_HOURS,
         [("Opleidingslokaal", 10, ["pc_room", "projector", "wheelchair"])]),
    ]),
]

# id: (pictogram, kind, minutes, needs, seats, staff, titles, descriptions)
THEMES = {
    "apply-online": ("apply", "workshop", 120, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Online solliciteren", "fr": "Postuler en ligne", "en": "Apply for jobs online",
        "ar": "التقديم على الوظائف عبر الإنترنت", "tr": "İnternetten iş başvurusu"}, {
        "nl": "Je solliciteert op de website van een grote werkgever. Stap voor stap.",
        "fr": "Vous postulez sur le site d'un grand employeur. Étape par étape.",
        "en": "You apply on the website of a large employer. Step by step.",
        "ar": "تقدّم على موقع شركة كبيرة. خطوة بخطوة.",
        "tr": "Büyük bir işverenin sitesinden başvurursunuz. Adım adım."}),
    "temp-agencies": ("agency", "workshop", 90, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Inschrijven bij uitzendkantoren", "fr": "S'inscrire dans une agence d'intérim",
        "en": "Sign up with temp agencies", "ar": "التسجيل في مكاتب العمل المؤقت",
        "tr": "Geçici iş ajanslarına kayıt"}, {
        "nl": "Je maakt een account bij een uitzendkantoor op het internet.",
        "fr": "Vous créez un compte dans une agence d'intérim sur internet.",
        "en": "You make an account with a temp agency on the internet.",
        "ar": "تنشئ حساباً في مكتب عمل مؤقت على الإنترنت.",
        "tr": "İnternette bir iş ajansında hesap açarsınız."}),
    "mijn-loopbaan": ("career", "workshop", 120, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Mijn Loopbaan gebruiken", "fr": "Utiliser « Mijn Loopbaan »",
        "en": "Use Mijn Loopbaan (your career file)", "ar": "استخدام ملفك المهني Mijn Loopbaan",
        "tr": "Mijn Loopbaan kullanmak"}, {
        "nl": "Je opent je dossier van de VDAB op de computer en in de app.",
        "fr": "Vous ouvrez votre dossier VDAB sur l'ordinateur et dans l'appli.",
        "en": "You open your employment-service file on the computer and in the app.",
        "ar": "تفتح ملفك لدى مكتب التشغيل على الحاسوب وفي التطبيق.",
        "tr": "İş kurumu dosyanızı bilgisayarda ve uygulamada açarsınız."}),
    "cv": ("cv", "workshop", 120, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Maak je cv", "fr": "Faire son CV", "en": "Make your CV",
        "ar": "اكتب سيرتك الذاتية", "tr": "Özgeçmişini hazırla"}, {
        "nl": "Je maakt een cv op de computer. Je kunt het daarna printen of mailen.",
        "fr": "Vous faites un CV sur l'ordinateur. Ensuite vous pouvez l'imprimer ou l'envoyer.",
        "en": "You make a CV on the computer. Then you can print it or send it.",
        "ar": "تكتب سيرتك الذاتية على الحاسوب. بعدها يمكنك طباعتها أو إرسالها.",
        "tr": "Bilgisayarda özgeçmiş hazırlarsınız. Sonra yazdırabilir veya gönderebilirsiniz."}),
    "vacancies": ("search", "workshop", 90, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Vacatures zoeken online", "fr": "Chercher des offres d'emploi en ligne",
        "en": "Find job vacancies online", "ar": "البحث عن الوظائف على الإنترنت",
        "tr": "İnternette iş ilanı aramak"}, {
        "nl": "Je zoekt werk op websites en op sociale media.",
        "fr": "Vous cherchez du travail sur des sites et sur les réseaux sociaux.",
        "en": "You look for work on websites and on social media.",
        "ar": "تبحث عن عمل في المواقع وعلى وسائل التواصل الاجتماعي.",
        "tr": "Web sitelerinde ve sosyal medyada iş ararsınız."}),
    "internet-search": ("internet", "workshop", 90, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Slim zoeken op het internet", "fr": "Bien chercher sur internet",
        "en": "Search the internet well", "ar": "البحث الذكي على الإنترنت",
        "tr": "İnternette akıllı arama"}, {
        "nl": "Je vindt snel wat je zoekt op het internet.",
        "fr": "Vous trouvez vite ce que vous cherchez sur internet.",
        "en": "You quickly find what you look for on the internet.",
        "ar": "تجد بسرعة ما تبحث عنه على الإنترنت.",
        "tr": "İnternette aradığınızı hızlıca bulursunuz."}),
    "online-forms": ("form", "workshop", 90, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Online formulieren invullen", "fr": "Remplir des formulaires en ligne",
        "en": "Fill in online forms", "ar": "تعبئة الاستمارات على الإنترنت",
        "tr": "İnternette form doldurmak"}, {
        "nl": "Je vult samen met ons een formulier in op het internet.",
        "fr": "Vous remplissez un formulaire sur internet avec nous.",
        "en": "You fill in a form on the internet together with us.",
        "ar": "تملأ استمارة على الإنترنت معنا.",
        "tr": "Bizimle birlikte internette bir form doldurursunuz."}),
    "everyday-apps": ("phone", "workshop", 90, [], 5, {"trainer": 1}, {
        "nl": "Handige apps: bus, agenda, school", "fr": "Applis utiles : bus, agenda, école",
        "en": "Useful apps: bus, calendar, school", "ar": "تطبيقات مفيدة: الحافلة، التقويم، المدرسة",
        "tr": "Faydalı uygulamalar: otobüs, takvim, okul"}, {
        "nl": "Je leert apps voor de bus, je agenda, de crèche en de school.",
        "fr": "Vous apprenez des applis pour le bus, l'agenda, la crèche et l'école.",
        "en": "You learn apps for the bus, your calendar, childcare and school.",
        "ar": "تتعلم تطبيقات للحافلة والتقويم والحضانة والمدرسة.",
        "tr": "Otobüs, takvim, kreş ve okul için uygulamaları öğrenirsiniz."}),
    "subscriptions": ("contract", "workshop", 90, [], 5, {"trainer": 1}, {
        "nl": "Gsm- en internetabonnement kiezen", "fr": "Choisir un abonnement GSM et internet",
        "en": "Choose a phone and internet plan", "ar": "اختيار اشتراك الهاتف والإنترنت",
        "tr": "Telefon ve internet aboneliği seçmek"}, {
        "nl": "Je vergelijkt abonnementen en kiest wat bij je past.",
        "fr": "Vous comparez les abonnements et choisissez le bon.",
        "en": "You compare plans and choose the one that suits you.",
        "ar": "تقارن الاشتراكات وتختار ما يناسبك.",
        "tr": "Abonelikleri karşılaştırır, size uygun olanı seçersiniz."}),
    "privacy-passwords": ("lock", "workshop", 90, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Wachtwoorden en privacy", "fr": "Mots de passe et vie privée",
        "en": "Passwords and privacy", "ar": "كلمات المرور والخصوصية",
        "tr": "Şifreler ve gizlilik"}, {
        "nl": "Je maakt sterke wachtwoorden en beschermt je gegevens.",
        "fr": "Vous créez des mots de passe forts et protégez vos données.",
        "en": "You make strong passwords and protect your data.",
        "ar": "تنشئ كلمات مرور قوية وتحمي بياناتك.",
        "tr": "Güçlü şifreler oluşturur, bilgilerinizi korursunuz."}),
    "payslip": ("payslip", "workshop", 90, ["pc_room"], 5, {"trainer": 1}, {
        "nl": "Je loonbrief online lezen", "fr": "Lire sa fiche de paie en ligne",
        "en": "Read your payslip online", "ar": "قراءة قسيمة الراتب على الإنترنت",
        "tr": "Maaş bordronu internetten okumak"}, {
        "nl": "Je vindt en leest je digitale loonbrief.",
        "fr": "Vous trouvez et lisez votre fiche de paie numérique.",
        "en": "You find and read your digital payslip.",
        "ar": "تجد قسيمة راتبك الرقمية وتقرأها.",
        "tr": "Dijital maaş bordronuzu bulur ve okursunuz."}),
    "dropin": ("help", "drop_in", 180, ["pc_room"], 6, {"steward": 1}, {
        "nl": "Digitaal spreekuur", "fr": "Permanence numérique", "en": "Digital help hour",
        "ar": "ساعة المساعدة الرقمية", "tr": "Dijital yardım saati"}, {
        "nl": "Kom binnen zonder afspraak. Neem een nummer en kies je vraag.",
        "fr": "Entrez sans rendez-vous. Prenez un numéro et choisissez votre question.",
        "en": "Come in without an appointment. Take a number and pick your question.",
        "ar": "ادخل دون موعد. خذ رقماً واختر سؤالك.",
        "tr": "Randevusuz gelin. Numara alın ve sorunuzu seçin."}),
    "talk": ("talk", "conversation_group", 90, [], 8, {"volunteer": 1}, {
        "nl": "Praattafel Nederlands", "fr": "Table de conversation en néerlandais",
        "en": "Dutch conversation group", "ar": "مجموعة محادثة باللغة الهولندية",
        "tr": "Hollandaca sohbet grubu"}, {
        "nl": "Je oefent Nederlands praten in een kleine groep.",
        "fr": "Vous pratiquez le néerlandais en petit groupe.",
        "en": "You practise speaking Dutch in a small group.",
        "ar": "تتدرب على التحدث بالهولندية في مجموعة صغيرة.",
        "tr": "Küçük bir grupta Hollandaca konuşma pratiği yaparsınız."}),
    "counsellor-workshop": ("meeting", "counsellor_event", 120, ["projector"], 12,
                            {"trainer": 1}, {
        "nl": "Workshop voor begeleiders: digitale drempels", "fr": "Atelier pour accompagnateurs",
        "en": "Workshop for counsellors: digital barriers", "ar": "ورشة للمرافقين",
        "tr": "Danışmanlar için atölye"}, {
        "nl": "Voor trajectbegeleiders: hoe help je klanten met weinig digitale vaardigheden?",
        "fr": "Pour les accompagnateurs : aider les clients peu à l'aise avec le numérique.",
        "en": "For job coaches: how to help clients with few digital skills.",
        "ar": "للمرافقين: كيف تساعد عملاء ذوي مهارات رقمية قليلة.",
        "tr": "Danışmanlar için: dijital becerisi az olan kişilere nasıl yardım edilir."}),
}

# (name, organisation slug or None, roles, themes or None, languages, cost, max_sessions)
PEOPLE = [
    ("Amina El Idrissi", None, ["trainer"], ["cv", "apply-online", "mijn-loopbaan", "online-forms"],
     ["nl", "ar", "fr"], 500, 8),
    ("Bram De Smet", "bib-gent", ["trainer"], ["cv", "internet-search", "privacy-passwords"],
     ["nl", "en"], 0, 10),
    ("Elif Yılmaz", None, ["trainer"], ["everyday-apps", "subscriptions", "payslip", "vacancies"],
     ["nl", "tr", "en"], 250, 8),
    ("Sophie Vandenberghe", "bib-kortrijk", ["trainer"], None, ["nl", "fr"], 0, 12),
    ("Joris Claeys", "wijk-gent", ["steward"], None, ["nl", "en"], 0, None),
    ("Nadia Haddad", "bib-kortrijk", ["steward", "trainer"], ["dropin", "online-forms"],
     ["nl", "ar", "fr"], 0, None),
    ("Lena Peeters", None, ["volunteer"], ["talk"], ["nl"], 0, 6),
    ("Mehmet Kaya", None, ["volunteer"], ["talk"], ["nl", "tr"], 0, 6),
]
