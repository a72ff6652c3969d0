{
  "instanceID": "68451399-53c2-4f6b-bbdd-be025a61ed02",
  "created": "2015-08-07T19:00:40.025+09:00",
  "updated": "2015-08-07T19:00:40.025+09:00",
  "completed": "2015-08-07T19:00:40.025+09:00",
  "state": "success",
  "affectedResource": [
    "http://192.168.146.132:22015/Automation/v1/objects/Tasks/5381"
  ],
  "result": []
}
