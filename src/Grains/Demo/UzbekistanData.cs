namespace Portal.Grains.Demo;

/// <summary>Real places, parties and names of Uzbekistan, for the demo election.</summary>
internal static class UzbekistanData
{
    internal sealed record Region(string Id, string Uz, string UzCyrl, string Ru, string En, int PopulationThousands, string[] Districts);

    // Population (2024, thousands) drives how many constituencies and stations a region gets.
    internal static readonly Region[] Regions =
    [
        new("karakalpakstan", "Qoraqalpogʻiston Respublikasi", "Қорақалпоғистон Республикаси", "Республика Каракалпакстан", "Republic of Karakalpakstan", 2000,
            ["Nukus", "Amudaryo", "Beruniy", "Chimboy", "Ellikqalʼa", "Kegeyli", "Moʻynoq", "Qoʻngʻirot", "Toʻrtkoʻl", "Xoʻjayli"]),
        new("andijan", "Andijon viloyati", "Андижон вилояти", "Андижанская область", "Andijan Region", 3300,
            ["Andijon", "Asaka", "Baliqchi", "Boʻston", "Izboskan", "Jalaquduq", "Marhamat", "Oltinkoʻl", "Paxtaobod", "Shahrixon", "Xoʻjaobod"]),
        new("bukhara", "Buxoro viloyati", "Бухоро вилояти", "Бухарская область", "Bukhara Region", 2000,
            ["Buxoro", "Gʻijduvon", "Jondor", "Kogon", "Olot", "Peshku", "Qorakoʻl", "Romitan", "Shofirkon", "Vobkent"]),
        new("jizzakh", "Jizzax viloyati", "Жиззах вилояти", "Джизакская область", "Jizzakh Region", 1500,
            ["Jizzax", "Arnasoy", "Baxmal", "Doʻstlik", "Forish", "Gʻallaorol", "Mirzachoʻl", "Paxtakor", "Zomin", "Zarbdor"]),
        new("kashkadarya", "Qashqadaryo viloyati", "Қашқадарё вилояти", "Кашкадарьинская область", "Kashkadarya Region", 3500,
            ["Qarshi", "Chiroqchi", "Dehqonobod", "Gʻuzor", "Kasbi", "Kitob", "Koson", "Mirishkor", "Muborak", "Nishon", "Shahrisabz", "Yakkabogʻ"]),
        new("navoi", "Navoiy viloyati", "Навоий вилояти", "Навоийская область", "Navoi Region", 1100,
            ["Navoiy", "Karmana", "Konimex", "Navbahor", "Nurota", "Qiziltepa", "Tomdi", "Uchquduq", "Xatirchi", "Zarafshon"]),
        new("namangan", "Namangan viloyati", "Наманган вилояти", "Наманганская область", "Namangan Region", 3000,
            ["Namangan", "Chortoq", "Chust", "Kosonsoy", "Mingbuloq", "Norin", "Pop", "Toʻraqoʻrgʻon", "Uchqoʻrgʻon", "Uychi", "Yangiqoʻrgʻon"]),
        new("samarkand", "Samarqand viloyati", "Самарқанд вилояти", "Самаркандская область", "Samarkand Region", 4100,
            ["Samarqand", "Bulungʻur", "Ishtixon", "Jomboy", "Kattaqoʻrgʻon", "Narpay", "Nurobod", "Oqdaryo", "Past Dargʻom", "Payariq", "Tayloq", "Urgut"]),
        new("surkhandarya", "Surxondaryo viloyati", "Сурхондарё вилояти", "Сурхандарьинская область", "Surkhandarya Region", 2800,
            ["Termiz", "Angor", "Boysun", "Denov", "Jarqoʻrgʻon", "Qiziriq", "Qumqoʻrgʻon", "Muzrabot", "Sariosiyo", "Sherobod", "Shoʻrchi", "Uzun"]),
        new("syrdarya", "Sirdaryo viloyati", "Сирдарё вилояти", "Сырдарьинская область", "Syrdarya Region", 900,
            ["Guliston", "Boyovut", "Mirzaobod", "Oqoltin", "Sardoba", "Sayxunobod", "Sirdaryo", "Xovos", "Shirin", "Yangiyer"]),
        new("tashkent-region", "Toshkent viloyati", "Тошкент вилояти", "Ташкентская область", "Tashkent Region", 3000,
            ["Nurafshon", "Angren", "Bekobod", "Boʻstonliq", "Chinoz", "Chirchiq", "Olmaliq", "Ohangaron", "Parkent", "Qibray", "Yangiyoʻl", "Zangiota"]),
        new("fergana", "Fargʻona viloyati", "Фарғона вилояти", "Ферганская область", "Fergana Region", 4000,
            ["Fargʻona", "Beshariq", "Bogʻdod", "Buvayda", "Dangʻara", "Margʻilon", "Oltiariq", "Qoʻqon", "Quva", "Rishton", "Soʻx", "Toshloq", "Uchkoʻprik"]),
        new("khorezm", "Xorazm viloyati", "Хоразм вилояти", "Хорезмская область", "Khorezm Region", 1900,
            ["Urganch", "Bogʻot", "Gurlan", "Xazorasp", "Xiva", "Xonqa", "Qoʻshkoʻpir", "Shovot", "Yangiariq", "Yangibozor"]),
        new("tashkent-city", "Toshkent shahri", "Тошкент шаҳри", "город Ташкент", "Tashkent City", 3000,
            ["Bektemir", "Chilonzor", "Mirobod", "Mirzo Ulugʻbek", "Olmazor", "Sergeli", "Shayxontohur", "Uchtepa", "Yakkasaroy", "Yashnobod", "Yunusobod", "Yangihayot"]),
    ];

    internal sealed record Party(string Id, string Uz, string Ru, string En);

    // The five parties registered for the 2024 elections.
    internal static readonly Party[] Parties =
    [
        new("uzlidep", "Oʻzbekiston Liberal-demokratik partiyasi", "Либерально-демократическая партия Узбекистана", "Liberal Democratic Party of Uzbekistan"),
        new("milliy-tiklanish", "«Milliy tiklanish» demokratik partiyasi", "Демократическая партия «Миллий тикланиш»", "Milliy Tiklanish Democratic Party"),
        new("adolat", "«Adolat» sotsial-demokratik partiyasi", "Социал-демократическая партия «Адолат»", "Adolat Social Democratic Party"),
        new("xdp", "Oʻzbekiston Xalq demokratik partiyasi", "Народно-демократическая партия Узбекистана", "People's Democratic Party of Uzbekistan"),
        new("ekologik", "Oʻzbekiston Ekologik partiyasi", "Экологическая партия Узбекистана", "Ecological Party of Uzbekistan"),
    ];

    internal static readonly string[] MaleNames =
    [
        "Akmal", "Alisher", "Anvar", "Aziz", "Bahodir", "Bekzod", "Bobur", "Davron", "Dilshod", "Doniyor", "Eldor", "Farhod",
        "Farrux", "Gʻayrat", "Ilhom", "Islom", "Jahongir", "Jamshid", "Javlon", "Kamol", "Lutfullo", "Mansur", "Mirzo", "Nodir",
        "Odil", "Otabek", "Poʻlat", "Qahramon", "Ravshan", "Rustam", "Sanjar", "Sardor", "Sherzod", "Shuhrat", "Sobir", "Temur",
        "Ulugʻbek", "Umid", "Xurshid", "Yusuf", "Zafar", "Zokir",
    ];

    internal static readonly string[] FemaleNames =
    [
        "Dilnoza", "Dildora", "Feruza", "Gulnora", "Gulchehra", "Hilola", "Iroda", "Kamola", "Lola", "Madina", "Malika", "Mohira",
        "Munisa", "Nargiza", "Nigora", "Nodira", "Oydin", "Ozoda", "Sevara", "Shahnoza", "Shoira", "Umida", "Xurshida", "Yulduz",
        "Zarina", "Ziyoda", "Zulfiya",
    ];

    // Surname stems take -ov / -ova; fathers' names make the patronymic (-ovich / -ovna).
    internal static readonly string[] SurnameStems =
    [
        "Alimov", "Aliyev", "Azimov", "Boboyev", "Ergashev", "Gʻaniyev", "Hasanov", "Ibragimov", "Ismoilov",
        "Joʻrayev", "Karimov", "Komilov", "Mahmudov", "Mirziyoyev", "Mirzayev", "Murodov", "Nazarov", "Normatov", "Olimov",
        "Qodirov", "Qosimov", "Rahimov", "Rashidov", "Sodiqov", "Sultonov", "Toshmatov", "Toʻxtayev", "Umarov", "Usmonov",
        "Xolmatov", "Yoʻldoshev", "Yusupov", "Zokirov",
    ];

    internal static readonly string[] Streets =
    [
        "Amir Temur", "Alisher Navoiy", "Mustaqillik", "Bobur", "Mirzo Ulugʻbek", "Istiqlol", "Navroʻz", "Bunyodkor",
        "Doʻstlik", "Beruniy", "Ibn Sino", "Abdulla Qodiriy", "Choʻlpon", "Bogʻbon", "Yangi hayot", "Paxtakor", "Oybek",
    ];

    internal static readonly string[] Buildings = ["maktab", "kollej", "madaniyat markazi", "mahalla guzari", "litsey"];
}
