"""Sample texts shared by the store tests (one Vietnamese, one Arabic)."""

VIETNAMESE = "Tổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình một hiệp ước an ninh với Belarus.\nĐoạn hai."
ARABIC = "وقع الرئيس الروسي فلاديمير بوتين على معاهدة في 6 ديسمبر 2024.\nفقرة ثانية."
