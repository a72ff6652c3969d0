{
  "name": "submit",
  "href": " http://host:22015/Automation/v1/objects/Services/2004/actions/submit/invoke",
  "method": "POST",
  "parameters": [
    {
      "name": "BackupDB_20150807100000",
      "description": "",
      "scheduleType": "recurrence",
      "recurrenceInterval": "weekly",
      "recurrenceDayOfWeek": "sun,wed",
      "recurrenceLastDayOfMonth": false,
      "recurrenceTime": "03:30",
      "recurrenceMinutes": null
    },
    {
      "keyName": "com.hitachi.software.dna.sys.mail.cc",
      "value": "a@b.c"
    },
    {
      "Schedule": {
        "scheduleType": "immediate"
      }
    }
  ],
  "v10": null
}
