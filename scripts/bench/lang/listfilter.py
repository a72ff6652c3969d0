xs = []
for i in range(1, 100001):
    xs += [i]
ys = [x for x in xs if x % 3 == 0]
print(len(ys))
