{
  "data": [
    {
      "instanceID": 5381,
      "name": "バックアップ_20150807100000",
      "status": "inProgress",
      "submitter": "山田太郎",
      "toDo": true
    },
    {
      "instanceID": 5382,
      "name": "Rotate Logs_20150807110000",
      "status": "failed",
      "submitter": "System",
      "toDo": false
    }
  ],
  "count": 2,
  "pagination": {
    "page": 1,
    "pageSize": 100,
    "numPages": 1
  }
}
