"""The date formats of both languages: a Belgian reads 02/11/2015 as 2 November, whatever the interface's language.

Django's own Dutch formats write short dates as 11-2-2015 and its English ones as 02/11/2015
(month first); here every date is written dd/mm/yyyy and read as typed by hand in that order.
Two-digit years are not read: 06/07/20 could be 1920 or 2020 on a birth date. The ISO form
(yyyy-mm-dd) that the browser's date picker sends is always read as well (Django adds it).
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '20/01/2009'
    "%d-%m-%Y",  # '20-01-2009'
    "%d.%m.%Y",  # '20.01.2009'
    "%Y-%m-%d",  # '2009-01-20', the browser's date picker
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]
DATETIME_INPUT_FORMATS = [
    f"{day} {time}" for day in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d") for time in ("%H:%M", "%H:%M:%S")
] + ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
