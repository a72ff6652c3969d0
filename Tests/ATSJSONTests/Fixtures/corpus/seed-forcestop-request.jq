{
  "name": "forceStop",
  "href": "http://192.168.146.132:22015/Automation/v1/objects/Tasks/5338/actions/forceStop/invoke",
  "method": "POST",
  "parameters": []
}
