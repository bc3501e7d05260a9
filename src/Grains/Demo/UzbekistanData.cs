namespace Portal.Grains.Demo;

/// <summary>Real places, parties and names of Uzbekistan, for the demo election.</summary>
internal static class UzbekistanData
{
    internal sealed record Region(string Id, string Uz, string UzCyrl, string Ru, string En, int PopulationThousands, string[] Districts);

    // Population (2024, thousands) drives how many constituencies and stations a region gets.
    internal static readonly Region[] Regions =
    [
        new("karakalpakstan", "Qoraqalpog'iston Respublikasi", "Қорақалпоғистон Республикаси", "Республика Каракалпакстан", "Republic of Karakalpakstan", 2000,
            ["Nukus", "Amudaryo", "Beruniy", "Chimboy", "Ellikqal'a", "Kegeyli", "Mo'ynoq", "Qo'ng'irot", "To'rtko'l", "Xo'jayli"]),
        new("andijan", "Andijon viloyati", "Андижон вилояти", "Андижанская область", "Andijan Region", 3300,
            ["Andijon", "Asaka", "Baliqchi", "Bo'ston", "Izboskan", "Jalaquduq", "Marhamat", "Oltinko'l", "Paxtaobod", "Shahrixon", "Xo'jaobod"]),
        new("bukhara", "Buxoro viloyati", "Бухоро вилояти", "Бухарская область", "Bukhara Region", 2000,
            ["Buxoro", "G'ijduvon", "Jondor", "Kogon", "Olot", "Peshku", "Qorako'l", "Romitan", "Shofirkon", "Vobkent"]),
        new("jizzakh", "Jizzax viloyati", "Жиззах вилояти", "Джизакская область", "Jizzakh Region", 1500,
            ["Jizzax", "Arnasoy", "Baxmal", "Do'stlik", "Forish", "G'allaorol", "Mirzacho'l", "Paxtakor", "Zomin", "Zarbdor"]),
        new("kashkadarya", "Qashqadaryo viloyati", "Қашқадарё вилояти", "Кашкадарьинская область", "Kashkadarya Region", 3500,
            ["Qarshi", "Chiroqchi", "Dehqonobod", "G'uzor", "Kasbi", "Kitob", "Koson", "Mirishkor", "Muborak", "Nishon", "Shahrisabz", "Yakkabog'"]),
        new("navoi", "Navoiy viloyati", "Навоий вилояти", "Навоийская область", "Navoi Region", 1100,
            ["Navoiy", "Karmana", "Konimex", "Navbahor", "Nurota", "Qiziltepa", "Tomdi", "Uchquduq", "Xatirchi", "Zarafshon"]),
        new("namangan", "Namangan viloyati", "Наманган вилояти", "Наманганская область", "Namangan Region", 3000,
            ["Namangan", "Chortoq", "Chust", "Kosonsoy", "Mingbuloq", "Norin", "Pop", "To'raqo'rg'on", "Uchqo'rg'on", "Uychi", "Yangiqo'rg'on"]),
        new("samarkand", "Samarqand viloyati", "Самарқанд вилояти", "Самаркандская область", "Samarkand Region", 4100,
            ["Samarqand", "Bulung'ur", "Ishtixon", "Jomboy", "Kattaqo'rg'on", "Narpay", "Nurobod", "Oqdaryo", "Past Darg'om", "Payariq", "Tayloq", "Urgut"]),
        new("surkhandarya", "Surxondaryo viloyati", "Сурхондарё вилояти", "Сурхандарьинская область", "Surkhandarya Region", 2800,
            ["Termiz", "Angor", "Boysun", "Denov", "Jarqo'rg'on", "Qiziriq", "Qumqo'rg'on", "Muzrabot", "Sariosiyo", "Sherobod", "Sho'rchi", "Uzun"]),
        new("syrdarya", "Sirdaryo viloyati", "Сирдарё вилояти", "Сырдарьинская область", "Syrdarya Region", 900,
            ["Guliston", "Boyovut", "Mirzaobod", "Oqoltin", "Sardoba", "Sayxunobod", "Sirdaryo", "Xovos", "Shirin", "Yangiyer"]),
        new("tashkent-region", "Toshkent viloyati", "Тошкент вилояти", "Ташкентская область", "Tashkent Region", 3000,
            ["Nurafshon", "Angren", "Bekobod", "Bo'stonliq", "Chinoz", "Chirchiq", "Olmaliq", "Ohangaron", "Parkent", "Qibray", "Yangiyo'l", "Zangiota"]),
        new("fergana", "Farg'ona viloyati", "Фарғона вилояти", "Ферганская область", "Fergana Region", 4000,
            ["Farg'ona", "Beshariq", "Bog'dod", "Buvayda", "Dang'ara", "Marg'ilon", "Oltiariq", "Qo'qon", "Quva", "Rishton", "So'x", "Toshloq", "Uchko'prik"]),
        new("khorezm", "Xorazm viloyati", "Хоразм вилояти", "Хорезмская область", "Khorezm Region", 1900,
            ["Urganch", "Bog'ot", "Gurlan", "Xazorasp", "Xiva", "Xonqa", "Qo'shko'pir", "Shovot", "Yangiariq", "Yangibozor"]),
        new("tashkent-city", "Toshkent shahri", "Тошкент шаҳри", "город Ташкент", "Tashkent City", 3000,
            ["Bektemir", "Chilonzor", "Mirobod", "Mirzo Ulug'bek", "Olmazor", "Sergeli", "Shayxontohur", "Uchtepa", "Yakkasaroy", "Yashnobod", "Yunusobod", "Yangihayot"]),
    ];

    internal sealed record Party(string Id, string Uz, string Ru, string En);

    // The five parties registered for the 2024 elections.
    internal static readonly Party[] Parties =
    [
        new("uzlidep", "O'zbekiston Liberal-demokratik partiyasi", "Либерально-демократическая партия Узбекистана", "Liberal Democratic Party of Uzbekistan"),
        new("milliy-tiklanish", "\"Milliy tiklanish\" demokratik partiyasi", "Демократическая партия «Миллий тикланиш»", "Milliy Tiklanish Democratic Party"),
        new("adolat", "\"Adolat\" sotsial-demokratik partiyasi", "Социал-демократическая партия «Адолат»", "Adolat Social Democratic Party"),
        new("xdp", "O'zbekiston Xalq demokratik partiyasi", "Народно-демократическая партия Узбекистана", "People's Democratic Party of Uzbekistan"),
        new("ekologik", "O'zbekiston Ekologik partiyasi", "Экологическая партия Узбекистана", "Ecological Party of Uzbekistan"),
    ];

    internal static readonly string[] MaleNames =
    [
        "Akmal", "Alisher", "Anvar", "Aziz", "Bahodir", "Bekzod", "Bobur", "Davron", "Dilshod", "Doniyor", "Eldor", "Farhod",
        "Farrux", "G'ayrat", "Ilhom", "Islom", "Jahongir", "Jamshid", "Javlon", "Kamol", "Lutfullo", "Mansur", "Mirzo", "Nodir",
        "Odil", "Otabek", "Po'lat", "Qahramon", "Ravshan", "Rustam", "Sanjar", "Sardor", "Sherzod", "Shuhrat", "Sobir", "Temur",
        "Ulug'bek", "Umid", "Xurshid", "Yusuf", "Zafar", "Zokir",
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
        "Alimov", "Aliyev", "Azimov", "Boboyev", "Ergashev", "G'aniyev", "Hasanov", "Ibragimov", "Ismoilov",
        "Jo'rayev", "Karimov", "Komilov", "Mahmudov", "Mirziyoyev", "Mirzayev", "Murodov", "Nazarov", "Normatov", "Olimov",
        "Qodirov", "Qosimov", "Rahimov", "Rashidov", "Sodiqov", "Sultonov", "Toshmatov", "To'xtayev", "Umarov", "Usmonov",
        "Xolmatov", "Yo'ldoshev", "Yusupov", "Zokirov",
    ];

    internal static readonly string[] Streets =
    [
        "Amir Temur", "Alisher Navoiy", "Mustaqillik", "Bobur", "Mirzo Ulug'bek", "Istiqlol", "Navro'z", "Bunyodkor",
        "Do'stlik", "Beruniy", "Ibn Sino", "Abdulla Qodiriy", "Cho'lpon", "Bog'bon", "Yangi hayot", "Paxtakor", "Oybek",
    ];

    internal static readonly string[] Buildings = ["maktab", "kollej", "madaniyat markazi", "mahalla guzari", "litsey"];
}
