"""The platform's URLs as a server started with BENCH_BARE_ENDPOINTS on would mount them."""

from emporium.api import bare
from emporium.urls import urlpatterns as platform

urlpatterns = [*platform, *bare.routes()]
