{
  "instanceID": "b1c1e5a2-6a44-4c1b-9b1e-0d6f1c1d2e3f",
  "created": "2015-08-07T19:00:39.123+0900",
  "updated": "2015-08-07T19:00:39.123+0900",
  "completed": "2015-08-07T19:00:39.123+0900",
  "state": "success",
  "affectedResources": [
    "http://host:22015/Automation/v1/objects/Tasks/5381"
  ],
  "result": []
}
