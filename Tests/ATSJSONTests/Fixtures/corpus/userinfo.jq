{
  "userName": "System",
  "accessPermission": [
    "User Management"
  ],
  "fullName": "",
  "description": "Built-in account",
  "email": "",
  "resourceGroup": [
    {
      "instanceID": "Automation_RG_ALL",
      "name": "All Service Groups",
      "description": "default service groups which contains all services",
      "accessPermission": [
        "View",
        "Execute",
        "Develop",
        "Modify",
        "Admin"
      ]
    }
  ]
}
