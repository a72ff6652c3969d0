s = 0
i = 0
while i < 1000000:
    s += i * 2 % 7
    i += 1
print(s)
