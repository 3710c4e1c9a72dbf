"$CHANVAL" --version | cut -d' ' -f1-2
"$CHANVAL" --version | grep -c 'libxml2 .*PCRE2 .*OpenSSL'
