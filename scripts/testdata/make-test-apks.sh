#!/usr/bin/env bash
# Builds the small APKs the APK reader is tested against, with Debian's aapt against
# android-framework-res, aligned with zipalign and signed with apksigner (throwaway key).
# Next to each X.apk goes X.apk.badging.txt (`aapt dump badging`): the expected values.
#
# Usage: make-test-apks.sh OUT_DIR
# Idempotent: does nothing when OUT_DIR/.stamp is newer than this script and make_png.py.
set -euo pipefail

OUT=${1:?usage: make-test-apks.sh OUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
STAMP="$OUT/.stamp"
if [ -f "$STAMP" ] && [ -f "$OUT/big.apk" ] && [ -f "$OUT/adaptive.apk" ] && [ -f "$OUT/basic2.apk" ] && [ "$STAMP" -nt "$HERE/make-test-apks.sh" ] && [ "$STAMP" -nt "$HERE/make_png.py" ]; then
  exit 0
fi

FRAMEWORK=/usr/share/android-framework-res/framework-res.apk
for tool in aapt zipalign apksigner keytool python3; do
  command -v "$tool" >/dev/null || { echo "make-test-apks: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done
[ -f "$FRAMEWORK" ] || { echo "make-test-apks: $FRAMEWORK missing (android-framework-res)" >&2; exit 1; }

WORK="$OUT/work"
rm -rf "$WORK"
mkdir -p "$WORK"
KEYSTORE="$WORK/test.p12"
keytool -genkeypair -keystore "$KEYSTORE" -storetype PKCS12 -storepass android -keypass android \
  -alias test -keyalg RSA -keysize 2048 -validity 10000 -dname "CN=cloudphone test apks" >/dev/null 2>&1

png() { python3 "$HERE/make_png.py" "$@"; }

# build NAME [extra aapt args...]: packages $WORK/NAME/{AndroidManifest.xml,res,assets}.
build() {
  local name=$1; shift
  local src="$WORK/$name"
  local args=(package -f -M "$src/AndroidManifest.xml" -S "$src/res" -I "$FRAMEWORK" -F "$WORK/$name.unsigned.apk")
  [ -d "$src/assets" ] && args+=(-A "$src/assets")
  aapt "${args[@]}" "$@" >/dev/null
  if [ -f "$src/classes.dex" ]; then
    (cd "$src" && aapt add "$WORK/$name.unsigned.apk" classes.dex >/dev/null)
  fi
  zipalign -f 4 "$WORK/$name.unsigned.apk" "$WORK/$name.aligned.apk"
  apksigner sign --ks "$KEYSTORE" --ks-pass pass:android --key-pass pass:android \
    --out "$OUT/$name.apk" "$WORK/$name.aligned.apk"
  rm -f "$OUT/$name.apk.idsig"
  aapt dump badging "$OUT/$name.apk" >"$OUT/$name.apk.badging.txt"
}

# --- basic: resource label with a zh-rCN translation, four icon densities, a dummy classes.dex.
S="$WORK/basic"
mkdir -p "$S/res/values" "$S/res/values-zh-rCN" "$S/res/values-fr"
cat >"$S/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.basic" android:versionCode="42" android:versionName="1.2.3">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="29"/>
  <uses-permission android:name="android.permission.INTERNET"/>
  <uses-permission android:name="android.permission.CAMERA"/>
  <uses-permission android:name="android.permission.ACCESS_FINE_LOCATION"/>
  <uses-permission android:name="android.permission.RECORD_AUDIO"/>
  <application android:label="@string/app_name" android:icon="@mipmap/ic_launcher">
    <activity android:name=".SettingsActivity" android:label="@string/settings"/>
    <activity android:name=".MainActivity">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
  </application>
</manifest>
XML
cat >"$S/res/values/strings.xml" <<'XML'
<resources><string name="app_name">Basic App</string><string name="settings">Settings</string></resources>
XML
cat >"$S/res/values-zh-rCN/strings.xml" <<'XML'
<resources><string name="app_name">基础应用</string><string name="settings">设置</string></resources>
XML
cat >"$S/res/values-fr/strings.xml" <<'XML'
<resources><string name="app_name">Appli de base</string></resources>
XML
for spec in mdpi:48:d32f2f hdpi:72:388e3c xhdpi:96:1976d2 xxhdpi:144:fbc02d; do
  IFS=: read -r density size colour <<<"$spec"
  mkdir -p "$S/res/mipmap-$density"
  png "$S/res/mipmap-$density/ic_launcher.png" "$size" "$colour"
done
# A dex header with the right magic; nothing executes it (the simulator only reads the manifest).
python3 -c 'import sys; sys.stdout.buffer.write(b"dex\n035\0" + bytes(104))' >"$S/classes.dex"
build basic
# --- basic2: the same app with a higher versionCode (app service: a new version of one app).
cp -r "$WORK/basic" "$WORK/basic2"
build basic2 --version-code 43 --version-name 1.3.0 --replace-version

# --- service: literal label, no launchable activity (MAIN without LAUNCHER), minSdk only,
# an unqualified drawable icon.
S="$WORK/service"
mkdir -p "$S/res/drawable"
cat >"$S/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.service" android:versionCode="7" android:versionName="0.7-beta">
  <uses-sdk android:minSdkVersion="24"/>
  <uses-permission android:name="android.permission.RECEIVE_BOOT_COMPLETED"/>
  <uses-permission android:name="android.permission.FOREGROUND_SERVICE"/>
  <application android:label="Background Service" android:icon="@drawable/icon">
    <activity android:name="com.example.service.DebugActivity">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.DEFAULT"/>
      </intent-filter>
    </activity>
    <service android:name=".SyncService"/>
  </application>
</manifest>
XML
png "$S/res/drawable/icon.png" 64 7b1fa2
build service

# --- alias: launcher activity-alias, adaptive (XML) icon in mipmap-anydpi-v26 with PNG
# fallbacks, UTF-16 string pools.
S="$WORK/alias"
mkdir -p "$S/res/values" "$S/res/values-zh-rCN" "$S/res/mipmap-anydpi-v26" "$S/res/drawable"
cat >"$S/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.alias" android:versionCode="1000" android:versionName="2.0 (α)">
  <uses-sdk android:minSdkVersion="26" android:targetSdkVersion="33"/>
  <uses-permission android:name="android.permission.VIBRATE"/>
  <uses-permission android:name="android.permission.READ_CONTACTS" android:maxSdkVersion="28"/>
  <uses-permission android:name="android.permission.ACCESS_NETWORK_STATE"/>
  <application android:label="@string/app_name" android:icon="@mipmap/ic_launcher">
    <activity android:name=".RealMain"/>
    <activity-alias android:name=".LauncherAlias" android:targetActivity=".RealMain">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity-alias>
  </application>
</manifest>
XML
cat >"$S/res/values/strings.xml" <<'XML'
<resources><string name="app_name">Alias App ✓</string></resources>
XML
cat >"$S/res/values-zh-rCN/strings.xml" <<'XML'
<resources><string name="app_name">别名应用</string></resources>
XML
cat >"$S/res/values/colors.xml" <<'XML'
<resources><color name="icon_bg">#FF00897B</color></resources>
XML
cat >"$S/res/mipmap-anydpi-v26/ic_launcher.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<adaptive-icon xmlns:android="http://schemas.android.com/apk/res/android">
  <background android:drawable="@color/icon_bg"/>
  <foreground android:drawable="@drawable/fg"/>
</adaptive-icon>
XML
png "$S/res/drawable/fg.png" 32 ffffff
for spec in mdpi:48:00897b xhdpi:96:00695c; do
  IFS=: read -r density size colour <<<"$spec"
  mkdir -p "$S/res/mipmap-$density"
  png "$S/res/mipmap-$density/ic_launcher.png" "$size" "$colour"
done
build alias --utf16

# --- adaptive: the only icon is an adaptive (XML) one; its foreground layer has the PNGs.
# No permissions at all.
S="$WORK/adaptive"
mkdir -p "$S/res/mipmap-anydpi-v26" "$S/res/values"
cat >"$S/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.adaptive" android:versionCode="3" android:versionName="3">
  <uses-sdk android:minSdkVersion="26" android:targetSdkVersion="29"/>
  <application android:label="Adaptive" android:icon="@mipmap/ic_launcher">
    <activity android:name="com.example.adaptive.ui.Home">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
  </application>
</manifest>
XML
cat >"$S/res/values/colors.xml" <<'XML'
<resources><color name="bg">#FF303F9F</color></resources>
XML
cat >"$S/res/mipmap-anydpi-v26/ic_launcher.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<adaptive-icon xmlns:android="http://schemas.android.com/apk/res/android">
  <background android:drawable="@color/bg"/>
  <foreground android:drawable="@drawable/fg"/>
</adaptive-icon>
XML
for spec in mdpi:48:c2185b xhdpi:96:ad1457; do
  IFS=: read -r density size colour <<<"$spec"
  mkdir -p "$S/res/drawable-$density"
  png "$S/res/drawable-$density/fg.png" "$size" "$colour"
done
build adaptive

# --- big: a few MB of incompressible asset, icons up to xxxhdpi.
S="$WORK/big"
mkdir -p "$S/res/values" "$S/assets"
cat >"$S/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.example.big" android:versionCode="123456789" android:versionName="9.9.9">
  <uses-sdk android:minSdkVersion="19" android:targetSdkVersion="28"/>
  <uses-permission android:name="android.permission.INTERNET"/>
  <application android:label="@string/app_name" android:icon="@mipmap/ic_launcher">
    <activity android:name="Main">
      <intent-filter>
        <category android:name="android.intent.category.LAUNCHER"/>
        <action android:name="android.intent.action.MAIN"/>
      </intent-filter>
    </activity>
  </application>
</manifest>
XML
cat >"$S/res/values/strings.xml" <<'XML'
<resources><string name="app_name">Big Game</string></resources>
XML
for spec in hdpi:72:5d4037 xxxhdpi:192:e64a19; do
  IFS=: read -r density size colour <<<"$spec"
  mkdir -p "$S/res/mipmap-$density"
  png "$S/res/mipmap-$density/ic_launcher.png" "$size" "$colour"
done
python3 -c 'import random, sys; r = random.Random(7); sys.stdout.buffer.write(r.randbytes(4 << 20))' \
  >"$S/assets/level-data.bin"
build big

rm -rf "$WORK"
touch "$STAMP"
echo "make-test-apks: built $(ls "$OUT"/*.apk | wc -l) APKs in $OUT"
