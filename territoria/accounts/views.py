from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def space(request):
    return render(request, "accounts/space.html")
